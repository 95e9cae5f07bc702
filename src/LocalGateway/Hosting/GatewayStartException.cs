namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// The gateway could not start for a reason its operator can fix. <see cref="Exception.Message"/> is
/// one line: what went wrong, the option involved and what to do (the command line prints only that).
/// </summary>
public sealed class GatewayStartException : Exception
{
    public GatewayStartException()
    {
    }

    public GatewayStartException(string message)
        : base(message)
    {
    }

    public GatewayStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
