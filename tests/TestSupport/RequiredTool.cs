namespace SocketRelay.TestSupport;

/// <summary>
/// A command-line tool a test needs from the machine (<c>moto_server</c>, <c>cfn-lint</c>): tools the
/// tests cannot install themselves. A missing tool fails the test with a message naming it; the test
/// is never skipped.
/// </summary>
public static class RequiredTool
{
    /// <summary>The full path of <paramref name="executable"/> on <paramref name="searchPath"/> (a PATH value; default: this process's PATH).</summary>
    /// <param name="purpose">What the tests use it for and where it comes from, for the failure message.</param>
    /// <exception cref="InvalidOperationException">It is not there: "{executable} is not on PATH. {purpose}".</exception>
    public static string Locate(string executable, string purpose, string? searchPath = null) =>
        Find(executable, searchPath) ?? throw new InvalidOperationException($"{executable} is not on PATH. {purpose}");

    /// <summary>The full path of <paramref name="executable"/> on <paramref name="searchPath"/> (default: this process's PATH), or null.</summary>
    public static string? Find(string executable, string? searchPath = null) =>
        (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);
}
