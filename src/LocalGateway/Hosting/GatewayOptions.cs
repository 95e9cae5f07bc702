using System.Globalization;
using SocketRelay.LocalGateway.ApiGateway;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>Every setting of the local gateway; bound from the command line, <c>appsettings.json</c> and <c>Gateway__*</c> environment variables.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The address Kestrel binds. Anything but loopback exposes the gateway to the network.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>WebSocket API at <c>/</c>, management API at <c>/@connections/{id}</c>, status at <c>/_local/</c>.</summary>
    public int Port { get; set; } = 8080;

    public string DataDir { get; set; } = ".socketrelay";

    /// <summary>The Lambda Runtime API's loopback port; 0 takes a free one.</summary>
    public int RuntimeApiPort { get; set; }

    /// <summary>A published <c>bootstrap</c> to run as child processes instead of the in-process function.</summary>
    public string? FunctionBinary { get; set; }

    /// <summary><c>sqlite</c> (durable, embedded; the default) or <c>sqs</c> (Amazon SQS or any SQS-compatible endpoint).</summary>
    public string Queue { get; set; } = "sqlite";

    public string? SqsQueueUrl { get; set; }

    public string? SqsServiceUrl { get; set; }

    public int Pollers { get; set; } = 4;

    public int FunctionTimeoutSeconds { get; set; } = 10;

    public int VisibilityTimeoutSeconds { get; set; } = 60;

    public int MaxReceiveCount { get; set; } = 5;

    /// <summary>Testing: the share (0–1) of <c>@connections</c> <c>POST</c>s answered with a <see cref="FaultStatus"/> instead of delivered.</summary>
    public double FaultRate { get; set; }

    /// <summary>Testing: comma-separated statuses for injected faults, among 429, 500, 502, 503, 504.</summary>
    public string FaultStatus { get; set; } = "429,500,503";

    /// <summary>Testing: each <c>@connections</c> <c>POST</c> answers up to this many milliseconds late (random).</summary>
    public int FaultLatencyMs { get; set; }

    /// <summary>Testing: seeds the fault dice so a run can be repeated.</summary>
    public int? FaultSeed { get; set; }

    /// <summary>
    /// The developer console at <c>/_local/</c> and its bookkeeping (on by default; set
    /// <c>Gateway__DevConsole=false</c> to measure the pipeline without it).
    /// </summary>
    public bool DevConsole { get; set; } = true;

    /// <summary>The fault settings in the shape the <c>@connections</c> API takes; an unreadable status list yields no codes.</summary>
    public ConnectionsFaultOptions ToFaultOptions() => new()
    {
        Rate = FaultRate,
        StatusCodes = ParseStatusCodes(FaultStatus),
        LatencyMs = FaultLatencyMs,
        Seed = FaultSeed,
    };

    private static List<int> ParseStatusCodes(string text)
    {
        var codes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                return [];
            }

            codes.Add(code);
        }

        return codes;
    }

    public IEnumerable<string> Problems()
    {
        foreach (var problem in ToFaultOptions().Problems())
        {
            yield return problem;
        }

        if (Port is < 0 or > 65535)
        {
            yield return $"--port must be 0–65535 (was {Port})";
        }

        if (RuntimeApiPort is < 0 or > 65535)
        {
            yield return $"--runtime-api-port must be 0–65535 (was {RuntimeApiPort})";
        }

        if (Queue is not ("sqlite" or "sqs"))
        {
            yield return $"--queue must be sqlite or sqs (was '{Queue}')";
        }

        if (Queue == "sqs" && string.IsNullOrWhiteSpace(SqsQueueUrl))
        {
            yield return "--queue sqs needs --sqs-queue-url (a FIFO queue URL ending in .fifo)";
        }

        if (Pollers < 1)
        {
            yield return $"--pollers must be at least 1 (was {Pollers})";
        }

        if (FunctionTimeoutSeconds < 1)
        {
            yield return $"--function-timeout must be at least 1 second (was {FunctionTimeoutSeconds})";
        }

        if (VisibilityTimeoutSeconds < FunctionTimeoutSeconds)
        {
            yield return $"--visibility-timeout ({VisibilityTimeoutSeconds} s) must be at least --function-timeout ({FunctionTimeoutSeconds} s)";
        }

        if (MaxReceiveCount is < 1 or > 1000)
        {
            yield return $"--max-receive-count must be 1–1000 (was {MaxReceiveCount})";
        }
    }
}
