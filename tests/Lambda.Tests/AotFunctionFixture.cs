using SocketRelay.Lambda.Tests.Support;
using SocketRelay.LocalGateway.Lambda;
using SocketRelay.TestSupport;

namespace SocketRelay.Lambda.Tests;

/// <summary>One published AOT bootstrap serving a local Runtime API, answering over a fake @connections endpoint.</summary>
public sealed class AotFunctionFixture : IAsyncLifetime
{
    public LocalRuntimeApi Runtime { get; private set; } = null!;

    public FakeConnectionsApi Connections { get; private set; } = null!;

    public BootstrapProcess Function { get; private set; } = null!;

    public string Binary { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Binary = await BootstrapPublisher.GetAsync();
        Runtime = await LocalRuntimeApi.StartAsync();
        Connections = await FakeConnectionsApi.StartAsync();
        Function = BootstrapProcess.Start(Binary, BootstrapProcess.LambdaEnvironment(Runtime.Address, Connections.Endpoint));
    }

    public async Task DisposeAsync()
    {
        await Function.DisposeAsync();
        await Runtime.DisposeAsync();
        await Connections.DisposeAsync();
        PowertoolsLogSchema.AssertLines(Function.StandardOutput);
    }
}
