using System.Reflection;
using System.Xml.Linq;
using SocketRelay.TestSupport;

namespace SocketRelay.Architecture.Tests;

/// <summary>Dependencies point inward only: Lambda and LocalGateway → Infrastructure → Application → Domain.</summary>
public class LayerDependencyTests
{
    private static readonly string[] Hosts = ["bootstrap", "SocketRelay.LocalGateway"];

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    private static string[] References(string assembly) =>
        [.. Load(assembly).GetReferencedAssemblies().Select(a => a.Name!)];

    private static bool IsFramework(string name) => name is "System" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal);

    [Fact]
    public void Domain_depends_on_nothing_but_the_base_class_library()
    {
        Assert.All(References("SocketRelay.Domain"), name => Assert.True(IsFramework(name), $"Domain references {name}"));
    }

    [Fact]
    public void Domain_project_has_no_package_or_project_references()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot.Path, "src", "Domain", "Domain.csproj"));

        Assert.DoesNotContain(project.Descendants(), e => e.Name.LocalName is "PackageReference" or "ProjectReference");
    }

    [Fact]
    public void Application_depends_only_on_domain_and_abstractions_packages()
    {
        Assert.All(References("SocketRelay.Application"), name => Assert.True(
            IsFramework(name) || name == "SocketRelay.Domain" ||
            (name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && name.EndsWith(".Abstractions", StringComparison.Ordinal)),
            $"Application references {name}"));
    }

    [Fact]
    public void Infrastructure_does_not_depend_on_a_host()
    {
        // Domain and Application cannot: the two tests above allow them nothing of the hosts.
        Assert.Empty(References("SocketRelay.Infrastructure").Intersect(Hosts));
    }

    [Fact]
    public void The_local_gateway_runs_the_function_through_infrastructure_not_through_the_lambda_host()
    {
        var references = References("SocketRelay.LocalGateway");

        Assert.DoesNotContain("bootstrap", references);
        Assert.Contains("SocketRelay.Infrastructure", references);
    }
}
