using System.Text.Json.Nodes;
using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Template;

public sealed class CliPinTests
{
    private static JsonNode PackageJson => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.DeployDirectory, "package.json")))!;

    private static JsonNode PackageLock => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.DeployDirectory, "package-lock.json")))!;

    [Fact]
    public void ServerlessCli_IsPinnedToOneExactVersionInPackageJsonAndTheLockFile()
    {
        var pinned = (string)PackageJson["devDependencies"]!["osls"]!;

        Assert.Matches(@"^\d+\.\d+\.\d+$", pinned);
        Assert.Equal(pinned, (string?)PackageLock["packages"]!["node_modules/osls"]!["version"]);
    }

    [Theory]
    [InlineData("build", "dotnet publish ../src/Lambda -c Release -r linux-x64")]
    [InlineData("package", "serverless package")]
    [InlineData("deploy", "serverless deploy")]
    [InlineData("remove", "serverless remove")]
    public void PackageJson_HasTheDeploymentScripts(string script, string runs)
    {
        Assert.Contains(runs, (string)PackageJson["scripts"]![script]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("package")]
    [InlineData("deploy")]
    public void PackagingAndDeploying_BuildTheRealArtifactFirst(string script)
    {
        Assert.StartsWith("npm run build && ", (string)PackageJson["scripts"]![script]!, StringComparison.Ordinal);
    }
}
