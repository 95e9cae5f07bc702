using Amazon.Runtime;

namespace SocketRelay.Infrastructure.Connections;

/// <summary>Always the same credentials: for tests and for local endpoints that do not check signatures.</summary>
public sealed class StaticAwsCredentialsProvider : IAwsCredentialsProvider
{
    private readonly ImmutableCredentials _credentials;

    public StaticAwsCredentialsProvider(ImmutableCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
    }

    public ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_credentials);
}
