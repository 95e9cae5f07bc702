namespace SocketRelay.LocalGateway.Lambda;

/// <summary>Function execution environments serving the local Runtime API until disposed.</summary>
public interface IFunctionHost : IAsyncDisposable
{
    /// <summary>How the function runs, for the start-up banner.</summary>
    string Description { get; }
}
