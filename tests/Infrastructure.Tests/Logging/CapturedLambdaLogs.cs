using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketRelay.Infrastructure.Logging;
using SocketRelay.TestSupport;

namespace SocketRelay.Infrastructure.Tests.Logging;

/// <summary>
/// The real pipeline a Lambda host builds (ILogger&lt;T&gt; → Microsoft.Extensions.Logging → Serilog →
/// Powertools-schema formatter), writing to a string instead of stdout, with a chosen environment.
/// </summary>
internal sealed class CapturedLambdaLogs : IDisposable
{
    public static readonly Dictionary<string, string> FunctionEnvironment = new()
    {
        ["AWS_LAMBDA_FUNCTION_NAME"] = "socket-relay-dev-relay",
        ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
        ["POWERTOOLS_SERVICE_NAME"] = "socket-relay",
    };

    private readonly StringWriter _output = new();
    private readonly ServiceProvider _services;

    public CapturedLambdaLogs(IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = environment ?? FunctionEnvironment;
        string? GetVariable(string name) => variables.TryGetValue(name, out var value) ? value : null;
        Context = new LambdaLogContext(GetVariable);
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddLambdaJsonLogging(GetVariable, _output, Context))
            .BuildServiceProvider();
    }

    public LambdaLogContext Context { get; }

    public string Text => _output.ToString();

    public ILogger<T> Logger<T>() => _services.GetRequiredService<ILogger<T>>();

    /// <summary>
    /// Every line written, each parsed on its own as a standalone JSON document whose keys all follow
    /// the log schema (<see cref="PowertoolsLogSchema"/>).
    /// </summary>
    public IReadOnlyList<JsonElement> Lines()
    {
        var lines = Text.Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        Assert.DoesNotContain(string.Empty, lines[..^1]);
        return PowertoolsLogSchema.AssertLines(lines[..^1]);
    }

    /// <summary>The one line whose message is <paramref name="message"/>.</summary>
    public JsonElement Line(string message) => Assert.Single(Lines(), line => line.GetProperty("message").GetString() == message);

    public static IReadOnlyDictionary<string, string> With(params (string Name, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>(FunctionEnvironment);
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Checks the schema of every line written, read by the test or not, then releases the pipeline.</summary>
    public void Dispose()
    {
        _services.Dispose();
        var text = Text;
        _output.Dispose();
        PowertoolsLogSchema.AssertLines(text);
    }
}
