using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

/// <summary>The alarms on the dead-letter queue and on function errors, and the optional email notification.</summary>
public sealed class MonitoringTests(SynthesizedTemplateFixture fixture) : IClassFixture<SynthesizedTemplateFixture>
{
    private const string Email = "ops@example.com";

    private CloudFormationTemplate Template => fixture.Template;

    private static Task<CloudFormationTemplate> WithAlarmEmailAsync() => ServerlessPackage.GetTemplateAsync("alarmEmail=" + Email);

    [Fact]
    public void DeadLetterQueueAlarm_FiresAsSoonAsTheDeadLetterQueueHoldsAMessage()
    {
        var alarm = Template.Properties("DeadLetterQueueAlarm");

        Assert.Equal("AWS::CloudWatch::Alarm", (string?)Template.Resource("DeadLetterQueueAlarm")["Type"]);
        Assert.Equal("AWS/SQS", (string?)alarm["Namespace"]);
        Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)alarm["MetricName"]);
        Assert.Equal(["QueueName={DeadLetterQueue.QueueName}"], Dimensions(alarm));
        Assert.Equal("Maximum", (string?)alarm["Statistic"]);
        AssertFiresOnTheFirstDatapointOfAtLeastOne(alarm);
        Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
        Assert.True(Template.IsCreated("DeadLetterQueueAlarm"));
    }

    [Fact]
    public void FunctionErrorsAlarm_FiresOnAnyInvocationErrorOfTheFunction()
    {
        var alarm = Template.Properties("FunctionErrorsAlarm");

        Assert.Equal("AWS/Lambda", (string?)alarm["Namespace"]);
        Assert.Equal("Errors", (string?)alarm["MetricName"]);
        Assert.Equal(["FunctionName={RelayLambdaFunction}"], Dimensions(alarm));
        Assert.Equal("Sum", (string?)alarm["Statistic"]);
        AssertFiresOnTheFirstDatapointOfAtLeastOne(alarm);
        Assert.True(Template.IsCreated("FunctionErrorsAlarm"));
    }

    [Fact]
    public void WithoutAlarmEmail_NoTopicOrSubscriptionIsCreatedAndTheAlarmsNotifyNoOne()
    {
        Assert.Equal("", Template.Evaluate(Template.Parameters["AlarmEmail"]!["Default"]));
        Assert.All(SnsResources(Template), id => Assert.False(Template.IsCreated(id), $"{id} is created without an alarm email"));
        Assert.Equal(3, SnsResources(Template).Count);
        Assert.All(Alarms, alarm => Assert.Null(Template.Resolve(Template.Properties(alarm)["AlarmActions"])));
    }

    [Fact]
    public async Task WithAlarmEmail_TheAddressIsSubscribedByEmailAndBothAlarmsNotifyTheTopic()
    {
        var template = await WithAlarmEmailAsync();

        Assert.All(SnsResources(template), id => Assert.True(template.IsCreated(id), $"{id} is not created with an alarm email"));
        var subscription = template.Properties(template.SingleResourceOfType("AWS::SNS::Subscription"));
        Assert.Equal("email", (string?)subscription["Protocol"]);
        Assert.Equal(Email, template.Evaluate(subscription["Endpoint"]));
        Assert.Equal("{AlarmTopic}", template.Evaluate(subscription["TopicArn"]));
        Assert.All(Alarms, alarm =>
        {
            Assert.Equal(["{AlarmTopic}"], template.Resolve(template.Properties(alarm)["AlarmActions"])!.AsArray().Select(template.Evaluate));
            Assert.Equal(["{AlarmTopic}"], template.Resolve(template.Properties(alarm)["OKActions"])!.AsArray().Select(template.Evaluate));
        });
    }

    [Fact]
    public async Task AlarmTopicPolicy_LetsOnlyThisStacksTwoAlarmsPublishForThisAccount()
    {
        var template = await WithAlarmEmailAsync();
        var policy = template.Properties(template.SingleResourceOfType("AWS::SNS::TopicPolicy"));

        Assert.Equal(["{AlarmTopic}"], policy["Topics"]!.AsArray().Select(template.Evaluate));
        var statement = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("Allow", (string?)statement["Effect"]);
        Assert.Equal("cloudwatch.amazonaws.com", template.Evaluate(statement["Principal"]!["Service"]));
        Assert.Null(statement["Principal"]!["AWS"]);
        Assert.Equal("sns:Publish", (string?)statement["Action"]);
        Assert.Equal("{AlarmTopic}", template.Evaluate(statement["Resource"]));
        Assert.Equal(CloudFormationTemplate.AccountId, template.Evaluate(statement["Condition"]!["StringEquals"]!["aws:SourceAccount"]));
        Assert.Equal(
            ["{DeadLetterQueueAlarm.Arn}", "{FunctionErrorsAlarm.Arn}"],
            statement["Condition"]!["ArnEquals"]!["aws:SourceArn"]!.AsArray().Select(template.Evaluate));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("ops@example.com", true)]
    [InlineData("first.last+alerts@mail.example.co.uk", true)]
    [InlineData("not-an-address", false)]
    [InlineData("two@at@example.com", false)]
    public void AlarmEmail_AcceptsAnAddressOrNothing(string value, bool accepted)
    {
        // CloudFormation matches AllowedPattern against the whole value.
        var pattern = (string)Template.Parameters["AlarmEmail"]!["AllowedPattern"]!;

        Assert.Equal(accepted, Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Function_PublishesItsMetricsInTheSocketRelayNamespace()
    {
        var variables = Template.Properties("RelayLambdaFunction")["Environment"]!["Variables"]!;

        Assert.Equal("SocketRelay", Template.Evaluate(variables["POWERTOOLS_METRICS_NAMESPACE"]));
    }

    [Fact]
    public void Stack_OutputsTheDeadLetterQueueArnForRedrive()
    {
        Assert.Equal("{DeadLetterQueue.Arn}", Template.Evaluate(Template.Outputs["DeadLetterQueueArn"]!["Value"]));
    }

    [Fact]
    public async Task SynthesizedTemplates_WithAndWithoutAlarmEmail_AreCleanUnderCfnLint()
    {
        await CfnLint.AssertCleanAsync(Template);
        await CfnLint.AssertCleanAsync(await WithAlarmEmailAsync());
    }

    private static readonly string[] Alarms = ["DeadLetterQueueAlarm", "FunctionErrorsAlarm"];

    private static List<string> SnsResources(CloudFormationTemplate template) =>
        [.. template.Resources.Where(r => ((string?)r.Value!["Type"])!.StartsWith("AWS::SNS::", StringComparison.Ordinal)).Select(r => r.Key)];

    private List<string> Dimensions(JsonObject alarm) =>
        [.. alarm["Dimensions"]!.AsArray().Select(d => $"{(string?)d!["Name"]}={Template.Evaluate(d["Value"])}")];

    private void AssertFiresOnTheFirstDatapointOfAtLeastOne(JsonObject alarm)
    {
        Assert.Equal("GreaterThanOrEqualToThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal("1", Template.Evaluate(alarm["Threshold"]));
        Assert.Equal("1", Template.Evaluate(alarm["EvaluationPeriods"]));
        Assert.Equal("60", Template.Evaluate(alarm["Period"]));
    }
}
