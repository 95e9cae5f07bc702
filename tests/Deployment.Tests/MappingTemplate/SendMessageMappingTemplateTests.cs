using System.Text;
using SocketRelay.Deployment.Tests.Support;
using SocketRelay.Deployment.Tests.Vtl;

namespace SocketRelay.Deployment.Tests.MappingTemplate;

public sealed class SendMessageMappingTemplateTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>
{
    private static string SeedTemplate =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MappingTemplate", "seed-mapping-template.vtl")).TrimEnd('\n');

    [Fact]
    public void Corpus_IsLargeAndCoversEveryInjectionTarget()
    {
        Assert.True(AdversarialCorpus.Frames.Count >= 15);
        var injections = AdversarialCorpus.Frames.Where(frame => frame.Name.StartsWith(AdversarialCorpus.InjectionPrefix, StringComparison.Ordinal)).ToList();
        foreach (var parameter in new[] { "Action", "QueueUrl", "MessageGroupId", "MessageDeduplicationId", "MessageBody", "MessageAttribute.1.Value.StringValue", "MessageAttribute.3.Name" })
        {
            Assert.Contains(injections, frame => frame.Body.Contains("&" + parameter + "=", StringComparison.Ordinal));
        }

        Assert.Contains(AdversarialCorpus.Frames, frame => Encoding.UTF8.GetByteCount(frame.Body) >= 120 * 1000);
    }

    [Fact]
    public async Task DeployedTemplate_KeepsTheSendMessageContract_ForEveryCorpusFrame()
    {
        var rendered = await VtlRenderer.RenderAsync(fixture.SendMessageMappingTemplate, AdversarialCorpus.Requests);

        var violations = Violations(rendered);

        Assert.True(violations.Count == 0, "the deployed template breaks the contract:\n" + string.Join('\n', violations));
    }

    [Fact]
    public async Task SeedTemplate_BreaksTheSendMessageContract_ForEveryInjectionAndMetacharacterFrame()
    {
        var rendered = await VtlRenderer.RenderAsync(SeedTemplate, AdversarialCorpus.Requests);

        var failedFrames = AdversarialCorpus.Frames
            .Zip(rendered)
            .Where(pair => SendMessageContract.Violations(pair.First.Request, pair.Second).Count > 0)
            .Select(pair => pair.First.Name)
            .ToHashSet(StringComparer.Ordinal);

        var mustFail = AdversarialCorpus.Frames
            .Select(frame => frame.Name)
            .Where(name => name.StartsWith(AdversarialCorpus.InjectionPrefix, StringComparison.Ordinal))
            .Concat(["no-group-id-uses-the-connection", "form-metacharacters", "already-percent-encoded", "group-id-with-form-metacharacters", "body-of-120-kilobytes"]);
        Assert.All(mustFail, name => Assert.Contains(name, failedFrames));
    }

    [Fact]
    public async Task DeployedTemplate_QueuesTheSeedTranscriptFrameCompactly()
    {
        var context = new GatewayContext("L0SM9cOFvHcCIhw=", "L0SM9HBUvHcFq+w=");

        var sent = await VtlRenderer.RenderSendMessageAsync(fixture.SendMessageMappingTemplate, """{"MessageGroupId":"test", "data":"hello world"}""", context);

        Assert.Equal("""{"MessageGroupId":"test","data":"hello world"}""", sent.MessageBody);
        Assert.Equal("test", sent.MessageGroupId);
        Assert.Equal("L0SM9HBUvHcFq+w=", sent.MessageDeduplicationId);
        Assert.Equal("L0SM9cOFvHcCIhw=", sent.StringAttribute("connectionId"));
        Assert.Equal("L0SM9HBUvHcFq+w=", sent.StringAttribute("requestId"));
    }

    [Fact]
    public async Task SpoofedConnectionIdAttribute_ReachesTheQueueAsBodyText_NotAsTheAttribute()
    {
        var context = new GatewayContext("L0SM9cOFvHcCIhw=", "U3Bvb2ZBdHRyKy8=");
        const string body = """{"data":"&MessageAttribute.1.Value.StringValue=spoof&"}""";

        var deployed = await VtlRenderer.RenderSendMessageAsync(fixture.SendMessageMappingTemplate, body, context);
        var seed = await VtlRenderer.RenderSendMessageAsync(SeedTemplate, body, context);

        Assert.Equal(["L0SM9cOFvHcCIhw="], deployed.Values("MessageAttribute.1.Value.StringValue"));
        Assert.Equal(body, deployed.MessageBody);
        Assert.Equal(["L0SM9cOFvHcCIhw=", "spoof"], seed.Values("MessageAttribute.1.Value.StringValue"));
    }

    [Fact]
    public async Task RenderedBody_HasNoWhitespaceAroundIt()
    {
        var rendered = await VtlRenderer.RenderAsync(fixture.SendMessageMappingTemplate, AdversarialCorpus.Requests);

        Assert.All(rendered, body => Assert.Equal(body.Trim(), body));
        Assert.All(rendered, body => Assert.StartsWith("Action=SendMessage&", body, StringComparison.Ordinal));
    }

    private static List<string> Violations(IReadOnlyList<string> rendered) =>
        AdversarialCorpus.Frames
            .Zip(rendered)
            .SelectMany(pair => SendMessageContract.Violations(pair.First.Request, pair.Second).Select(violation => $"{pair.First.Name}: {violation}"))
            .ToList();
}
