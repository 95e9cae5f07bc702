using System.Text.Json.Nodes;
using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

public sealed class IamTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>
{
    private CloudFormationTemplate Template => fixture.Template;

    [Fact]
    public void ApiGatewayRole_MayOnlySendMessagesToTheQueue()
    {
        var role = Template.Properties("ApiGatewaySendMessageRole");
        var trusted = role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().Select(s => Template.Evaluate(s!["Principal"]!["Service"]));

        Assert.Equal(["apigateway.amazonaws.com"], trusted);
        Assert.Null(role["ManagedPolicyArns"]);
        var statement = Assert.Single(Statements("ApiGatewaySendMessageRole"));
        Assert.Equal("Allow", (string?)statement["Effect"]);
        Assert.Equal(["sqs:SendMessage"], Actions(statement));
        Assert.Equal(["{MessageQueue.Arn}"], Resources(statement));
    }

    [Fact]
    public void FunctionRole_MayOnlyConsumeTheQueueWriteItsLogsAndPostToConnections()
    {
        var role = Template.Properties("IamRoleLambdaExecution");
        var statements = Statements("IamRoleLambdaExecution").ToList();

        Assert.Null(role["ManagedPolicyArns"]);
        Assert.All(statements, statement => Assert.Equal("Allow", (string?)statement["Effect"]));
        Assert.Equal(
            ["execute-api:ManageConnections", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:TagResource", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
            statements.SelectMany(Actions).Order(StringComparer.Ordinal));
        Assert.All(
            statements.Where(s => Actions(s).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal))),
            statement => Assert.Equal(["{MessageQueue.Arn}"], Resources(statement)));
        Assert.All(
            statements.Where(s => Actions(s).Any(a => a.StartsWith("logs:", StringComparison.Ordinal))).SelectMany(Resources),
            resource => Assert.StartsWith("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/socketrelay-production", resource, StringComparison.Ordinal));
    }

    [Fact]
    public void FunctionRole_MayPostOnlyToConnectionsOfItsOwnApiAndStage()
    {
        var statement = Assert.Single(Statements("IamRoleLambdaExecution"), s => Actions(s).Contains("execute-api:ManageConnections"));

        Assert.Equal(["execute-api:ManageConnections"], Actions(statement));
        Assert.Equal(["arn:aws:execute-api:us-east-1:123456789012:{WebSocketApi}/production/POST/@connections/*"], Resources(statement));
    }

    [Fact]
    public void NoPolicyInTheStack_GrantsWildcardActionsOrWildcardQueueAndApiResources()
    {
        var statements = Template.ResourcesOfType("AWS::IAM::Role").Concat(Template.ResourcesOfType("AWS::IAM::Policy"))
            .SelectMany(resource => Statements(resource.Key))
            .ToList();

        Assert.NotEmpty(statements);
        Assert.All(statements.SelectMany(Actions), action => Assert.False(action == "*" || action.EndsWith(":*", StringComparison.Ordinal), $"wildcard action {action}"));
        Assert.All(
            statements.Where(s => Actions(s).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal) || a.StartsWith("execute-api:", StringComparison.Ordinal))).SelectMany(Resources),
            resource => Assert.NotEqual("*", resource));
        Assert.All(
            statements.Where(s => Actions(s).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal))).SelectMany(Resources),
            resource => Assert.DoesNotContain("*", resource, StringComparison.Ordinal));
        Assert.All(statements, statement => Assert.Null(statement["NotAction"]));
        Assert.All(statements, statement => Assert.Null(statement["NotResource"]));
    }

    /// <summary>The policy statements of an IAM role (inline policies) or an IAM policy resource.</summary>
    private IEnumerable<JsonObject> Statements(string logicalId)
    {
        var properties = Template.Properties(logicalId);
        var documents = properties["Policies"] is JsonArray policies
            ? policies.Select(policy => policy!["PolicyDocument"]!)
            : properties["PolicyDocument"] is JsonNode document ? [document] : [];
        return documents.SelectMany(document => document["Statement"]!.AsArray()).Select(statement => statement!.AsObject());
    }

    private static List<string> Actions(JsonObject statement) => AsList(statement["Action"]).Select(a => (string)a!).ToList();

    private List<string> Resources(JsonObject statement) => AsList(statement["Resource"]).Select(Template.Evaluate).ToList();

    private static List<JsonNode?> AsList(JsonNode? node) => node is JsonArray array ? [.. array] : [node];
}
