namespace SocketRelay.Deployment.Tests.Support;

/// <summary>The CloudFormation template <c>serverless package</c> synthesizes from deploy/serverless.yml.</summary>
public sealed class SynthesizedTemplateFixture : IAsyncLifetime
{
    public CloudFormationTemplate Template { get; private set; } = null!;

    /// <summary>The VTL the $default route's integration renders into an SQS SendMessage request.</summary>
    public string SendMessageMappingTemplate =>
        Template.Properties("SendMessageIntegration")["RequestTemplates"]!["$default"]!.GetValue<string>();

    public async Task InitializeAsync() => Template = await ServerlessPackage.GetTemplateAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
