using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// Where a setting's value came from, for an error message: an option problem is named by its switch
/// (<c>--sqs-queue-url</c>), but its user may have set it as <c>Gateway__SqsQueueUrl</c> or in
/// <c>appsettings.json</c>, and has to know which one to change.
/// </summary>
public static class OptionOrigin
{
    private const string FunctionVariablePrefix = "--function-env ";

    /// <summary>
    /// Why the configuration could not be read, with what its source said: for a broken <c>appsettings.json</c>, the
    /// JSON reader's reason and position (<c>… LineNumber: 2 | BytePositionInLine: 0.</c>) after the file's name.
    /// </summary>
    public static string Unreadable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new System.Text.StringBuilder(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!text.ToString().Contains(inner.Message, StringComparison.Ordinal))
            {
                text.Append(' ').Append(inner.Message);
            }

            if (inner is System.Text.Json.JsonException { LineNumber: { } line, BytePositionInLine: { } column })
            {
                // The reader counts from 0; an editor counts from 1.
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $" That is line {line + 1}, byte {column + 1} of the line.");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The project's <c>appsettings.json</c> that the build copied to <paramref name="copy"/>, when that file is on
    /// this machine (a build from source: <c>dotnet run --project src/LocalGateway</c>); null for a copy of its own
    /// (a published gateway whose source is elsewhere, or edited in place).
    /// </summary>
    public static string? AppSettingsSource(string copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var source = typeof(OptionOrigin).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "SocketRelay.AppSettingsSource")?.Value;
        return source is not null && File.Exists(source) && File.Exists(copy)
            && !string.Equals(Path.GetFullPath(source), Path.GetFullPath(copy), StringComparison.Ordinal)
            && File.ReadAllBytes(source).AsSpan().SequenceEqual(File.ReadAllBytes(copy))
            ? source
            : null;
    }

    /// <summary>
    /// <see cref="Unreadable(Exception)"/>, followed, when the unreadable file is the build's copy of
    /// <paramref name="source"/>, by the file to correct: the copy is made again from it by the next build.
    /// </summary>
    public static string Unreadable(Exception exception, string? source)
    {
        var text = Unreadable(exception);
        if (source is null)
        {
            return text;
        }

        var shown = Path.GetRelativePath(Environment.CurrentDirectory, source);
        return $"{text} The file is the build's copy of {(shown.StartsWith("..", StringComparison.Ordinal) ? source : shown)}: correct that one.";
    }

    /// <summary>
    /// The problem as its user should read it: <paramref name="problem"/> unchanged when its setting (named by a
    /// switch such as <c>--port</c>, or a variable such as <c>Gateway__Prot</c>) came from the command line or is
    /// not set; otherwise with where it was set, e.g. <c>--pollers must be … (set by the environment variable
    /// Gateway__Pollers)</c>, or, for a key that is no setting at all, <c>"Prot" in appsettings.json (section
    /// "Gateway") is not a setting …</c>.
    /// </summary>
    /// <param name="configuration">The configuration the options were read from: its last provider that has the key gave the value.</param>
    /// <param name="problem">What is wrong, named as <see cref="GatewayOptions"/> names it.</param>
    /// <param name="environment">The process's environment variables, to name a variable as it was spelt.</param>
    public static string Describe(IConfigurationRoot configuration, Application.Configuration.OptionProblem problem, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var variablePrefix = GatewayOptions.SectionName + "__";
        var isSwitch = CommandLine.SwitchMappings.TryGetValue(problem.Name, out var mapped);
        if (!isSwitch && problem.Name.StartsWith(FunctionVariablePrefix, StringComparison.Ordinal))
        {
            // A function variable the in-process function refused, named --function-env NAME: set on the command
            // line, as Gateway__FunctionEnvironment__NAME or under "FunctionEnvironment" in appsettings.json.
            isSwitch = true;
            mapped = ConfigurationPath.Combine(GatewayOptions.SectionName, nameof(GatewayOptions.FunctionEnvironment), problem.Name[FunctionVariablePrefix.Length..]);
        }

        string? key = isSwitch ? mapped
            : problem.Name.StartsWith(variablePrefix, StringComparison.Ordinal) ? problem.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)
            : null;
        var provider = key is null ? null : configuration.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _));
        var setting = key is null ? "" : key[(GatewayOptions.SectionName.Length + 1)..];
        switch (provider)
        {
            case EnvironmentVariablesConfigurationProvider:
                var variable = environment.Keys.OfType<string>()
                    .FirstOrDefault(k => string.Equals(k.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), key, StringComparison.OrdinalIgnoreCase))
                    ?? $"{variablePrefix}{setting.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal)}";
                return isSwitch ? $"{problem} (set by the environment variable {variable})" : new Application.Configuration.OptionProblem(variable, problem.Problem).ToString();
            case FileConfigurationProvider file:
                return isSwitch
                    ? $"{problem} (set in {file.Source.Path} as \"{setting}\" in section \"{GatewayOptions.SectionName}\")"
                    // The key the unknown one is a slip of, as this file spells it: Port, not Gateway__Port.
                    : $"\"{setting}\" in {file.Source.Path} (section \"{GatewayOptions.SectionName}\") {(problem.Problem.StartsWith("is not a setting", StringComparison.Ordinal) ? problem.Problem.Replace(variablePrefix, "", StringComparison.Ordinal) : problem.Problem)}";
            case CommandLineConfigurationProvider:
            default:
                return problem.ToString();
        }
    }
}
