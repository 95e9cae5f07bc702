using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using SocketRelay.LocalGateway.Queue.Sqs;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.Queue.Moto;

/// <summary>
/// <c>moto_server</c> (moto 5.2, an independent implementation of the SQS API) on a free loopback
/// port for the tests of one collection, stopped with them. moto comes with the machine image and
/// cannot be installed by the test; when it is missing the tests fail and say so, they do not skip.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Executable = "moto_server";
    public const string Region = "us-east-1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<string> _output = [];
    private Process? _process;

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:41237/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Locate();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            _process = Start(executable, port);
            if (await WaitUntilListeningAsync(port))
            {
                Url = new Uri($"http://127.0.0.1:{port}/");
                return;
            }

            Stop();
            if (attempt == 3)
            {
                throw new InvalidOperationException(
                    $"{executable} did not start listening within {StartTimeout.TotalSeconds} s:\n{string.Join('\n', Output())}");
            }
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    /// <summary>An SDK client for moto; moto takes any key.</summary>
    public AmazonSQSClient CreateClient() => new(
        new BasicAWSCredentials("moto-access-key", "moto-secret-key"),
        new AmazonSQSConfig { ServiceURL = Url.ToString(), AuthenticationRegion = Region, Timeout = TimeSpan.FromSeconds(30) });

    /// <summary>The adapter under test, on <paramref name="queueUrl"/> at this moto.</summary>
    public SqsFifoQueue OpenQueue(AmazonSQSClient client, string queueUrl) =>
        new(client, new SqsQueueOptions { QueueUrl = queueUrl, ServiceUrl = Url.ToString(), Region = Region });

    /// <summary>
    /// Creates a FIFO queue with the deployed queue's attributes (deduplication per message group, no
    /// content-based deduplication) and a FIFO dead-letter queue after <paramref name="maxReceiveCount"/>
    /// receives; returns the queue's URL. Names are unique, so tests never share a queue.
    /// </summary>
    public static async Task<string> CreateFifoQueueAsync(AmazonSQSClient client, int maxReceiveCount)
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        var deadLetterUrl = (await client.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name + "-dlq.fifo",
            Attributes = new() { ["FifoQueue"] = "true" },
        })).QueueUrl;
        var deadLetterArn = (await client.GetQueueAttributesAsync(deadLetterUrl, ["QueueArn"])).Attributes["QueueArn"];
        return (await client.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name + ".fifo",
            Attributes = new()
            {
                ["FifoQueue"] = "true",
                ["ContentBasedDeduplication"] = "false",
                ["DeduplicationScope"] = "messageGroup",
                ["FifoThroughputLimit"] = "perMessageGroupId",
                ["VisibilityTimeout"] = "180",
                ["RedrivePolicy"] = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["deadLetterTargetArn"] = deadLetterArn,
                    ["maxReceiveCount"] = maxReceiveCount.ToString(CultureInfo.InvariantCulture),
                }),
            },
        })).QueueUrl;
    }

    private Process Start(string executable, int port)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.OutputDataReceived += (_, line) => Record(line.Data);
        process.ErrorDataReceived += (_, line) => Record(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && _process is { HasExited: false })
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _process.Dispose();
        _process = null;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private string[] Output()
    {
        lock (_output)
        {
            return [.. _output.TakeLast(40)];
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The <c>moto_server</c> executable on <paramref name="searchPath"/> (a PATH value; default: this process's PATH).</summary>
    /// <exception cref="InvalidOperationException">It is not there; the message names the missing tool.</exception>
    public static string Locate(string? searchPath = null) => RequiredTool.Locate(
        Executable,
        "These tests run the --queue sqs backend against moto's SQS (Python package moto[server] 5.2, " +
        "which provides moto_server); install it or run them on the machine image that has it.",
        searchPath);
}

[CollectionDefinition(Name)]
public sealed class MotoServerGroup : ICollectionFixture<MotoServer>
{
    public const string Name = "moto_server";
}
