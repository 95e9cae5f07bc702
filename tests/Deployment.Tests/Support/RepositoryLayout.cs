using SocketRelay.TestSupport;

namespace SocketRelay.Deployment.Tests.Support;

/// <summary>Where things are in the repository, below the repository root (<see cref="RepositoryRoot"/>).</summary>
public static class RepositoryLayout
{
    public static string Root => RepositoryRoot.Path;

    public static string DeployDirectory { get; } = Path.Combine(Root, "deploy");

    public static string NodeModules { get; } = Path.Combine(DeployDirectory, "node_modules");

    public static string BuildDirectory { get; } = Path.Combine(DeployDirectory, ".build");

    /// <summary>The function artifact serverless.yml references (<c>package.artifact</c>).</summary>
    public static string FunctionArtifact { get; } = Path.Combine(BuildDirectory, "socketrelay-function.zip");

    public static string SynthesizedTemplate { get; } =
        Path.Combine(DeployDirectory, ".serverless", "cloudformation-template-update-stack.json");

    public static string MappingTemplateRenderer { get; } = Path.Combine(DeployDirectory, "test", "render-mapping-template.js");
}
