namespace SocketRelay.Deployment.Tests.Support;

/// <summary>Where things are in the repository, found from the test assembly by walking up to Solution.sln.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    public static string DeployDirectory { get; } = Path.Combine(Root, "deploy");

    public static string NodeModules { get; } = Path.Combine(DeployDirectory, "node_modules");

    public static string BuildDirectory { get; } = Path.Combine(DeployDirectory, ".build");

    /// <summary>The function artifact serverless.yml references (<c>package.artifact</c>).</summary>
    public static string FunctionArtifact { get; } = Path.Combine(BuildDirectory, "socketrelay-function.zip");

    public static string MappingTemplateRenderer { get; } = Path.Combine(DeployDirectory, "test", "render-mapping-template.js");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Solution.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Solution.sln not found above " + AppContext.BaseDirectory);
    }
}
