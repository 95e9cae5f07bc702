namespace SocketRelay.TestSupport;

/// <summary>The repository's root folder, found from the test assembly by walking up to <c>Solution.sln</c>.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The absolute path of the folder that holds <c>Solution.sln</c>.</summary>
    /// <exception cref="InvalidOperationException">No folder above the test assembly holds <c>Solution.sln</c>.</exception>
    public static string Path => Root.Value;

    /// <summary>A path below the root, e.g. <c>Combine("tests", "tools")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Solution.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Solution.sln not found above " + AppContext.BaseDirectory);
    }
}
