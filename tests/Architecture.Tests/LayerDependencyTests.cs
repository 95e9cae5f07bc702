using System.Reflection;
using System.Xml.Linq;

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
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Domain", "Domain.csproj"));

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

    [Theory]
    [InlineData("SocketRelay.Domain")]
    [InlineData("SocketRelay.Application")]
    [InlineData("SocketRelay.Infrastructure")]
    public void No_inner_layer_depends_on_a_host(string assembly)
    {
        Assert.Empty(References(assembly).Intersect(Hosts));
    }

    [Fact]
    public void The_local_gateway_runs_the_function_through_infrastructure_not_through_the_lambda_host()
    {
        var references = References("SocketRelay.LocalGateway");

        Assert.DoesNotContain("bootstrap", references);
        Assert.Contains("SocketRelay.Infrastructure", references);
    }

    [Fact]
    public void Inner_layers_never_depend_on_outer_layers()
    {
        Assert.DoesNotContain("SocketRelay.Infrastructure", References("SocketRelay.Application"));
        Assert.DoesNotContain("SocketRelay.Application", References("SocketRelay.Domain"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Solution.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Solution.sln not found above " + AppContext.BaseDirectory);
    }
}
