using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace SocketRelay.Infrastructure.Logging;

/// <summary>
/// The one place Lambda logging is configured, in code (no configuration binding, so Native AOT
/// keeps working): Serilog writing <see cref="PowertoolsJsonFormatter"/> lines to the given writer,
/// each event stamped with the facts of a <see cref="LambdaLogContext"/>, the level and service name
/// taken from the environment as Powertools takes them (see <see cref="LambdaLogSettings"/>).
/// </summary>
public static class LambdaLogging
{
    /// <summary>
    /// Creates the Serilog logger. Configuration remarks (an unknown level, a level overridden by
    /// advanced logging controls) are written right away as Warning lines, whatever the level.
    /// </summary>
    /// <param name="getEnvironmentVariable">Usually <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <param name="output">Usually <see cref="Console.Out"/>: Lambda sends stdout to CloudWatch Logs.</param>
    /// <param name="context">The holder the runtime loop updates at each invocation.</param>
    public static Logger CreateLogger(Func<string, string?> getEnvironmentVariable, TextWriter output, LambdaLogContext context) =>
        CreateLogger(LambdaLogSettings.FromEnvironment(getEnvironmentVariable), output, context);

    /// <summary>
    /// Replaces every other logging provider with the Serilog logger of
    /// <see cref="CreateLogger(Func{string, string?}, TextWriter, LambdaLogContext)"/>, and makes
    /// Microsoft.Extensions.Logging filter at the same minimum level, so a Debug
    /// <c>[LoggerMessage]</c> call reaches Serilog exactly when Serilog would write it.
    /// The logger is disposed with the service provider.
    /// </summary>
    public static ILoggingBuilder AddLambdaJsonLogging(
        this ILoggingBuilder builder,
        Func<string, string?> getEnvironmentVariable,
        TextWriter output,
        LambdaLogContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = LambdaLogSettings.FromEnvironment(getEnvironmentVariable);
        var logger = CreateLogger(settings, output, context);
        builder.ClearProviders();
        builder.SetMinimumLevel(settings.MinimumLevel);
        builder.AddSerilog(logger, dispose: true);

        // AddSerilog lets everything through to Serilog (a Trace filter for its provider); this later,
        // equally specific rule puts the same minimum back, so disabled levels cost one comparison.
        builder.AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>(null, settings.MinimumLevel);
        return builder;
    }

    private static Logger CreateLogger(LambdaLogSettings settings, TextWriter output, LambdaLogContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var sink = new FlushingLineSink(new PowertoolsJsonFormatter(settings.Service), output);
        var enricher = new LambdaContextEnricher(context);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilogLevel(settings.MinimumLevel))
            .Enrich.With(enricher)
            .WriteTo.Sink(sink)
            .CreateLogger();
        WriteNotices(settings.Notices, sink, enricher);
        return logger;
    }

    /// <summary>
    /// Writes through a logger of its own with no minimum level: a misconfigured level must not
    /// hide the warning that says so.
    /// </summary>
    private static void WriteNotices(IReadOnlyList<LogConfigurationNotice> notices, ILogEventSink sink, ILogEventEnricher enricher)
    {
        if (notices.Count == 0)
        {
            return;
        }

        using var noticeLogger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.With(enricher)
            .WriteTo.Sink(sink)
            .CreateLogger();
        var configurationLogger = noticeLogger.ForContext(Constants.SourceContextPropertyName, typeof(LambdaLogging).FullName);
        foreach (var notice in notices)
        {
            configurationLogger.Warning(notice.MessageTemplate, notice.Values);
        }
    }

    private static LogEventLevel ToSerilogLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        LogLevel.Critical => LogEventLevel.Fatal,
        _ => LevelAlias.Off,
    };
}
