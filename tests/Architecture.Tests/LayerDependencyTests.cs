using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using SocketRelay.Application.Ports;
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

    /// <summary>
    /// A host that named a reply handler could register it beside <c>ReplyLogic</c> and run
    /// something the other host does not (OneCompositionTests checks what both hosts answer; this
    /// keeps that check from passing only because the handler a host chose happens to be the echo).
    /// </summary>
    [Fact]
    public void Neither_host_names_a_reply_handler_only_ReplyLogic_registers_it()
    {
        var handlerTypes = Load("SocketRelay.Application").GetTypes().Concat(Load("SocketRelay.Infrastructure").GetTypes())
            .Where(type => typeof(IReplyHandler).IsAssignableFrom(type))
            .Select(type => type.FullName!)
            .ToHashSet();
        Assert.Contains("SocketRelay.Application.Replies.EchoReplyHandler", handlerTypes);

        Assert.All(Hosts, host => Assert.Empty(TypeReferences(host).Intersect(handlerTypes)));
    }

    /// <summary>Every type from another assembly that <paramref name="assembly"/>'s code names, in any position (generic arguments included).</summary>
    private static HashSet<string> TypeReferences(string assembly)
    {
        using var stream = File.OpenRead(Load(assembly).Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.TypeReferences.Select(handle => metadata.GetTypeReference(handle))
            .Select(reference => $"{metadata.GetString(reference.Namespace)}.{metadata.GetString(reference.Name)}")];
    }
}
