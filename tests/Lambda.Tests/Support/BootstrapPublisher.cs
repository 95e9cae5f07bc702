using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SocketRelay.TestSupport;

namespace SocketRelay.Lambda.Tests.Support;

/// <summary>
/// Publishes the Native AOT <c>bootstrap</c> once and reuses it while the sources are unchanged.
/// The publish runs on a copy of the sources under <c>artifacts/</c>, so it never touches the
/// obj/ folders of the test run that is building the same projects.
/// </summary>
public static class BootstrapPublisher
{
    private static readonly RunOnce<string> Published = new(PublishAsync);

    /// <summary>The path of the published <c>bootstrap</c>, publishing it on the first call of a test run.</summary>
    public static Task<string> GetAsync() => Published.GetAsync();

    private static async Task<string> PublishAsync()
    {
        var sources = SourceFiles().ToList();
        var hash = Hash(sources);
        var work = Path.Combine(RepositoryRoot.Path, "artifacts", "aot-bootstrap");
        var output = Path.Combine(work, "publish");
        var binary = Path.Combine(output, "bootstrap");
        var stamp = Path.Combine(work, "sources.sha256");
        if (File.Exists(binary) && File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == hash)
        {
            return binary;
        }

        var copy = Path.Combine(work, "src");
        if (Directory.Exists(copy))
        {
            Directory.Delete(copy, recursive: true);
        }

        foreach (var file in sources)
        {
            var target = Path.Combine(copy, Path.GetRelativePath(RepositoryRoot.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        await RunAsync("dotnet", ["publish", Path.Combine(copy, "src", "Lambda", "Lambda.csproj"), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo"]);
        await File.WriteAllTextAsync(stamp, hash);
        return binary;
    }

    private static IEnumerable<string> SourceFiles()
    {
        foreach (var name in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig" })
        {
            yield return Path.Combine(RepositoryRoot.Path, name);
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(RepositoryRoot.Path, file);
            if (!relative.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                !relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                !relative.StartsWith(Path.Combine("src", "LocalGateway"), StringComparison.Ordinal))
            {
                yield return file;
            }
        }
    }

    private static string Hash(IEnumerable<string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(RepositoryRoot.Path, file)));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static async Task RunAsync(string command, string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }
}
