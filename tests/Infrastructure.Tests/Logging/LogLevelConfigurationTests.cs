using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Logging;

namespace SocketRelay.Infrastructure.Tests.Logging;

public class LogLevelConfigurationTests
{
    private const string Body = "{\"action\":\"sendmessage\",\"data\":\"secret\"}";

    [Fact]
    public void By_default_Information_is_written_and_a_Debug_body_never_appears()
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.FunctionEnvironment);

        Assert.Equal(["Information", "Warning"], Levels(logs));
        Assert.DoesNotContain("secret", logs.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Debug")]
    [InlineData("debug")]
    [InlineData("DEBUG")]
    public void POWERTOOLS_LOG_LEVEL_Debug_lets_Debug_LoggerMessage_calls_through(string value)
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.With(("POWERTOOLS_LOG_LEVEL", value)));

        Assert.Equal(["Debug", "Information", "Warning"], Levels(logs));
        Assert.Equal(Body, logs.Line($"Message body: {Body}").GetProperty("body").GetString());
    }

    [Fact]
    public void POWERTOOLS_LOG_LEVEL_Warning_drops_Information()
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.With(("POWERTOOLS_LOG_LEVEL", "Warning")));

        Assert.Equal(["Warning"], Levels(logs));
    }

    [Fact]
    public void POWERTOOLS_LOG_LEVEL_None_writes_nothing()
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.With(("POWERTOOLS_LOG_LEVEL", "None")));

        Assert.Empty(logs.Text);
    }

    [Fact]
    public void AWS_LAMBDA_LOG_LEVEL_takes_precedence_over_POWERTOOLS_LOG_LEVEL_and_says_so()
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.With(("AWS_LAMBDA_LOG_LEVEL", "DEBUG"), ("POWERTOOLS_LOG_LEVEL", "Warning")));

        var notice = Assert.Single(logs.Lines(), IsConfigurationNotice);
        Assert.Equal("Warning", notice.GetProperty("level").GetString());
        Assert.Equal(
            "AWS_LAMBDA_LOG_LEVEL=DEBUG (Lambda advanced logging controls) takes precedence over POWERTOOLS_LOG_LEVEL=Warning: logging at Debug",
            notice.GetProperty("message").GetString());
        Assert.Equal(["Debug", "Information", "Warning"], Levels(logs));
    }

    [Fact]
    public void A_stricter_AWS_LAMBDA_LOG_LEVEL_wins_over_a_verbose_POWERTOOLS_LOG_LEVEL()
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.With(("AWS_LAMBDA_LOG_LEVEL", "WARN"), ("POWERTOOLS_LOG_LEVEL", "Debug")));

        Assert.Single(logs.Lines(), IsConfigurationNotice);
        Assert.Equal(["Warning"], Levels(logs));
    }

    [Fact]
    public void AWS_LAMBDA_LOG_LEVEL_FATAL_means_Critical()
    {
        using var logs = new CapturedLambdaLogs(CapturedLambdaLogs.With(("AWS_LAMBDA_LOG_LEVEL", "FATAL")));
        var logger = logs.Logger<LogLevelConfigurationTests>();

        logger.Note(LogLevel.Error, "error");
        logger.Note(LogLevel.Critical, "critical");

        Assert.Equal("Critical", Assert.Single(logs.Lines()).GetProperty("level").GetString());
    }

    [Fact]
    public void An_unknown_POWERTOOLS_LOG_LEVEL_falls_back_to_Information_and_says_so()
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.With(("POWERTOOLS_LOG_LEVEL", "Verbose")));

        var notice = Assert.Single(logs.Lines(), IsConfigurationNotice);
        Assert.StartsWith("POWERTOOLS_LOG_LEVEL=Verbose is not one of Trace, Debug, Information", notice.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Information", "Warning"], Levels(logs));
    }

    [Fact]
    public void An_unknown_AWS_LAMBDA_LOG_LEVEL_is_ignored_in_favour_of_POWERTOOLS_LOG_LEVEL_and_reported()
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.With(("AWS_LAMBDA_LOG_LEVEL", "LOUD"), ("POWERTOOLS_LOG_LEVEL", "Debug")));

        var notice = Assert.Single(logs.Lines(), IsConfigurationNotice);
        Assert.StartsWith("AWS_LAMBDA_LOG_LEVEL=LOUD is not one of TRACE, DEBUG, INFO", notice.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Debug", "Information", "Warning"], Levels(logs));
    }

    [Fact]
    public void A_configuration_notice_is_written_even_when_the_level_would_drop_warnings()
    {
        using var logs = WriteOneOfEachLevel(CapturedLambdaLogs.With(("AWS_LAMBDA_LOG_LEVEL", "ERROR"), ("POWERTOOLS_LOG_LEVEL", "Debug")));

        Assert.Single(logs.Lines(), IsConfigurationNotice);
        Assert.Empty(Levels(logs));
    }

    [Fact]
    public void CreateLogger_flushes_every_line_as_it_is_written()
    {
        using var output = new FlushRecordingWriter();
        using var logger = LambdaLogging.CreateLogger(
            _ => null, output, new LambdaLogContext(_ => null));

        logger.Information("first");
        var afterFirst = output.Flushed;
        logger.Information("second");

        Assert.Single(afterFirst.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, output.Flushed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static CapturedLambdaLogs WriteOneOfEachLevel(IReadOnlyDictionary<string, string> environment)
    {
        var logs = new CapturedLambdaLogs(environment);
        var logger = logs.Logger<LogLevelConfigurationTests>();
        logger.MessageBody(Body);
        logger.Note(LogLevel.Information, "information");
        logger.Note(LogLevel.Warning, "warning");
        return logs;
    }

    /// <summary>The levels of the lines the test wrote, configuration notices aside.</summary>
    private static IEnumerable<string?> Levels(CapturedLambdaLogs logs) =>
        logs.Lines().Where(line => !IsConfigurationNotice(line)).Select(line => line.GetProperty("level").GetString());

    private static bool IsConfigurationNotice(JsonElement line) =>
        line.GetProperty("name").GetString() == typeof(LambdaLogging).FullName;

    /// <summary>Holds written text back until <see cref="Flush"/>, as a buffered stdout would.</summary>
    private sealed class FlushRecordingWriter : StringWriter
    {
        private readonly StringBuilder _pending = new();

        public string Flushed => GetStringBuilder().ToString();

        public override void Write(char value) => _pending.Append(value);

        public override void Write(string? value) => _pending.Append(value);

        public override void Flush()
        {
            GetStringBuilder().Append(_pending);
            _pending.Clear();
        }
    }
}
