using System.Text.Json.Nodes;
using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

public sealed class FunctionTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>
{
    private CloudFormationTemplate Template => fixture.Template;

    private JsonObject Function => Template.Properties("RelayLambdaFunction");

    [Fact]
    public void Function_IsTheAotBootstrapOnTheProvidedAl2023RuntimeForX86()
    {
        Assert.Single(Template.ResourcesOfType("AWS::Lambda::Function"));
        Assert.Equal("provided.al2023", (string?)Function["Runtime"]);
        Assert.Equal(["x86_64"], Function["Architectures"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("bootstrap", (string?)Function["Handler"]);
    }

    [Fact]
    public void Function_CodeIsThePrebuiltArtifact()
    {
        var key = Template.Evaluate(Function["Code"]!["S3Key"]);

        Assert.EndsWith("/socketrelay-function.zip", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_KnowsTheConnectionsEndpointOfTheDeployedStage()
    {
        var variables = Function["Environment"]!["Variables"]!.AsObject();

        Assert.Equal(
            "https://{WebSocketApi}.execute-api.us-east-1.amazonaws.com/production",
            Template.Evaluate(variables["WEBSOCKET_API_ENDPOINT"]));
        Assert.Equal("production", Template.Evaluate(Template.Properties("WebSocketStage")["StageName"]));
        Assert.False(string.IsNullOrWhiteSpace(Template.Evaluate(variables["POWERTOOLS_SERVICE_NAME"])));
    }

    [Fact]
    public void Function_ConsumesTheQueueInBatchesOfTenReportingItemFailures()
    {
        var mapping = Template.Properties(Template.SingleResourceOfType("AWS::Lambda::EventSourceMapping"));

        Assert.Equal("{MessageQueue.Arn}", Template.Evaluate(mapping["EventSourceArn"]));
        Assert.Equal("{RelayLambdaFunction.Arn}", Template.Evaluate(mapping["FunctionName"]));
        Assert.Equal(10, (int)mapping["BatchSize"]!);
        Assert.Equal(["ReportBatchItemFailures"], mapping["FunctionResponseTypes"]!.AsArray().Select(t => (string?)t));
    }
}
