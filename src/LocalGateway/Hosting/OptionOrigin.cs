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
    /// <summary>
    /// <c>""</c> when the setting named <paramref name="name"/> (a switch such as <c>--port</c>, or a variable
    /// such as <c>Gateway__Prot</c>) came from the command line or is not set; otherwise a clause for the end
    /// of the message, e.g. <c> (set by the environment variable Gateway__SqsQueueUrl)</c> or
    /// <c> (set in appsettings.json as "SqsQueueUrl" in section "Gateway")</c>.
    /// </summary>
    /// <param name="configuration">The configuration the options were read from: its last provider that has the key gave the value.</param>
    public static string Describe(IConfigurationRoot configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(name);
        var variablePrefix = GatewayOptions.SectionName + "__";
        string? key = CommandLine.SwitchMappings.TryGetValue(name, out var mapped) ? mapped
            : name.StartsWith(variablePrefix, StringComparison.Ordinal) ? name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)
            : null;
        if (key is null)
        {
            return "";
        }

        foreach (var provider in configuration.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _))
            {
                continue;
            }

            var setting = ConfigurationPath.GetSectionKey(key);
            return provider switch
            {
                CommandLineConfigurationProvider => "",
                EnvironmentVariablesConfigurationProvider when !string.Equals(CommandLine.VariableFor(setting), name, StringComparison.OrdinalIgnoreCase) =>
                    $" (set by the environment variable {CommandLine.VariableFor(setting)})",
                FileConfigurationProvider file => $" (set in {file.Source.Path} as \"{setting}\" in section \"{GatewayOptions.SectionName}\")",
                _ => "",
            };
        }

        return "";
    }
}
