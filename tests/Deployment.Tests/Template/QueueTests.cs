using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

public sealed class QueueTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>
{
    private CloudFormationTemplate Template => fixture.Template;

    [Theory]
    [InlineData("MessageQueue")]
    [InlineData("DeadLetterQueue")]
    public void Queue_IsFifoAndEncryptedAtRest(string queue)
    {
        var properties = Template.Properties(queue);

        Assert.Equal("AWS::SQS::Queue", (string?)Template.Resource(queue)["Type"]);
        Assert.True((bool)properties["FifoQueue"]!);
        Assert.True((bool)properties["SqsManagedSseEnabled"]!);
        Assert.EndsWith(".fifo", Template.Evaluate(properties["QueueName"]), StringComparison.Ordinal);
    }

    [Fact]
    public void MessageQueue_HidesAMessageForAtLeastSixFunctionTimeouts()
    {
        var visibilityTimeout = int.Parse(Template.Evaluate(Template.Properties("MessageQueue")["VisibilityTimeout"]), System.Globalization.CultureInfo.InvariantCulture);
        var functionTimeout = (int)Template.Properties("RelayLambdaFunction")["Timeout"]!;

        Assert.True(visibilityTimeout >= 6 * functionTimeout, $"visibility timeout {visibilityTimeout}s < 6 × function timeout {functionTimeout}s");
    }

    [Fact]
    public void MessageQueue_MovesAMessageToTheDeadLetterQueueAfterFiveReceives()
    {
        var redrive = Template.Properties("MessageQueue")["RedrivePolicy"]!;

        Assert.Equal("{DeadLetterQueue.Arn}", Template.Evaluate(redrive["deadLetterTargetArn"]));
        Assert.Equal("5", Template.Evaluate(redrive["maxReceiveCount"]));
    }

    [Fact]
    public void MessageQueue_LeavesDeduplicationToTheRequestId()
    {
        Assert.False((bool)Template.Properties("MessageQueue")["ContentBasedDeduplication"]!);
    }
}
