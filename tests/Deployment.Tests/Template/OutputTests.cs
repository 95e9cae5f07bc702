using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

public sealed class OutputTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>
{
    private CloudFormationTemplate Template => fixture.Template;

    [Fact]
    public void Stack_OutputsTheWebSocketUrlOfTheStage()
    {
        Assert.Equal("wss://{WebSocketApi}.execute-api.us-east-1.amazonaws.com/production", Output("WebSocketUrl"));
    }

    [Fact]
    public void Stack_OutputsBothQueueUrls()
    {
        // Ref of an AWS::SQS::Queue is its URL.
        Assert.Equal("{MessageQueue}", Output("MessageQueueUrl"));
        Assert.Equal("{DeadLetterQueue}", Output("DeadLetterQueueUrl"));
    }

    [Fact]
    public void Stack_OutputsTheFunctionLogGroup()
    {
        Assert.Equal("{RelayLogGroup}", Output("FunctionLogGroup"));
        Assert.Equal("AWS::Logs::LogGroup", (string?)Template.Resource("RelayLogGroup")["Type"]);
        Assert.Equal("/aws/lambda/socketrelay-production-relay", Template.Evaluate(Template.Properties("RelayLogGroup")["LogGroupName"]));
    }

    private string Output(string name) =>
        Template.Evaluate((Template.Outputs[name] ?? throw new KeyNotFoundException($"no output {name}"))["Value"]);
}
