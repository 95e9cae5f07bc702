using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SocketRelay.Deployment.Tests.MappingTemplate;
using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

public sealed class WebSocketApiTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>
{
    private const string SqsMessageGroupIdCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private CloudFormationTemplate Template => fixture.Template;

    [Fact]
    public void Api_IsAWebSocketApiRoutingOnTheActionProperty()
    {
        var api = Template.Properties(Template.SingleResourceOfType("AWS::ApiGatewayV2::Api"));

        Assert.Equal("WEBSOCKET", (string?)api["ProtocolType"]);
        Assert.Equal("$request.body.action", (string?)api["RouteSelectionExpression"]);
    }

    [Fact]
    public void Api_HasExactlyTheConnectAndDefaultRoutes()
    {
        var routeKeys = Template.ResourcesOfType("AWS::ApiGatewayV2::Route").Select(r => (string?)r.Value["Properties"]!["RouteKey"]);

        Assert.Equal(["$connect", "$default"], routeKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ConnectRoute_AcceptsTheConnectionThroughAMockIntegration()
    {
        var route = Route("$connect");
        var integration = Template.Properties(IntegrationOf(route));

        Assert.Equal("MOCK", (string?)integration["IntegrationType"]);
        Assert.Equal("""{"statusCode":200}""", (string?)integration["RequestTemplates"]!["$default"]);
    }

    [Fact]
    public void DefaultRoute_ValidatesEveryFrameAgainstTheMessageModel()
    {
        var route = Route("$default");

        Assert.False(string.IsNullOrEmpty((string?)route["ModelSelectionExpression"]));
        Assert.Equal("{MessageModel}", Template.Evaluate(route["RequestModels"]!["$default"]));
        Assert.Equal("application/json", (string?)Template.Properties("MessageModel")["ContentType"]);
    }

    [Fact]
    public void MessageModel_RequiresAnObjectWithAnOptionalStringMessageGroupIdOf1To128Characters()
    {
        var schema = Template.Properties("MessageModel")["Schema"]!;
        var groupId = schema["properties"]!["MessageGroupId"]!;

        Assert.Equal("object", (string?)schema["type"]);
        Assert.DoesNotContain("MessageGroupId", schema["required"]?.AsArray().Select(r => (string?)r) ?? []);
        Assert.Equal("string", (string?)groupId["type"]);
        Assert.Equal(1, (int)groupId["minLength"]!);
        Assert.Equal(128, (int)groupId["maxLength"]!);
    }

    [Fact]
    public void MessageModel_PatternAcceptsExactlyTheCharactersSqsAllowsInAMessageGroupId()
    {
        var pattern = new Regex((string)Template.Properties("MessageModel")["Schema"]!["properties"]!["MessageGroupId"]!["pattern"]!, RegexOptions.ECMAScript);

        Assert.Matches(pattern, SqsMessageGroupIdCharacters);
        foreach (var rejected in new[] { " ", "a b", "\t", "\n", "é", "😀", "\u007f", "\u0000", "ab\u00a0" })
        {
            Assert.DoesNotMatch(pattern, rejected);
        }

        Assert.All(
            AdversarialCorpus.Frames.Select(frame => JsonNode.Parse(frame.Body)!["MessageGroupId"]).OfType<JsonValue>(),
            groupId => Assert.Matches(pattern, (string)groupId!));
    }

    [Fact]
    public void DefaultRoute_SendsToTheQueueThroughSqsSendMessage()
    {
        var integration = Template.Properties(IntegrationOf(Route("$default")));

        Assert.Equal("AWS", (string?)integration["IntegrationType"]);
        Assert.Equal("POST", (string?)integration["IntegrationMethod"]);
        Assert.Equal("arn:aws:apigateway:us-east-1:sqs:path/123456789012/{MessageQueue.QueueName}", Template.Evaluate(integration["IntegrationUri"]));
        Assert.Equal("{ApiGatewaySendMessageRole.Arn}", Template.Evaluate(integration["CredentialsArn"]));
        Assert.Equal("'application/x-www-form-urlencoded'", (string?)integration["RequestParameters"]!["integration.request.header.Content-Type"]);
        Assert.Equal("NEVER", (string?)integration["PassthroughBehavior"]);
        Assert.Equal("\\$default", (string?)integration["TemplateSelectionExpression"]);
        Assert.Equal(["$default"], integration["RequestTemplates"]!.AsObject().Select(t => t.Key));
    }

    [Fact]
    public void SendMessageTemplate_UrlEncodesEveryValueAndDefaultsTheGroupToTheConnection()
    {
        var template = fixture.SendMessageMappingTemplate;

        Assert.Contains("$util.urlEncode($input.json('$'))", template, StringComparison.Ordinal);
        Assert.Contains("$context.connectionId", template, StringComparison.Ordinal);
        Assert.Equal(4, Regex.Count(template, @"\$util\.urlEncode\(\$(context|messageGroupId)"));
        Assert.All(template.Split('\n')[..^1], line => Assert.EndsWith("##", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Stage_IsProductionAndDeploysEveryChange()
    {
        var stage = Template.Properties(Template.SingleResourceOfType("AWS::ApiGatewayV2::Stage"));

        Assert.Equal("production", Template.Evaluate(stage["StageName"]));
        Assert.Equal("{WebSocketApi}", Template.Evaluate(stage["ApiId"]));
        Assert.True((bool)stage["AutoDeploy"]!);
    }

    private JsonObject Route(string routeKey) =>
        Template.ResourcesOfType("AWS::ApiGatewayV2::Route")
            .Select(r => r.Value["Properties"]!.AsObject())
            .Single(route => (string?)route["RouteKey"] == routeKey);

    private string IntegrationOf(JsonObject route)
    {
        var target = Template.Evaluate(route["Target"]);
        Assert.StartsWith("integrations/{", target, StringComparison.Ordinal);
        return target["integrations/{".Length..^1];
    }
}
