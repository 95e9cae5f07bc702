using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace SocketRelay.Infrastructure.Connections;

/// <summary>
/// The standard AWS credential chain (environment variables first, which is what Lambda provides; then
/// profiles, web identity, container and instance metadata).
/// <para>
/// Walking the chain can mean file reads and metadata calls, so it runs once, on first use, and the source
/// it finds is kept. That source is still asked on every request: sources whose credentials expire
/// (container, instance metadata, assumed roles) cache and refresh them themselves. A failed walk is not
/// kept, so a later request tries again.
/// </para>
/// </summary>
public sealed class DefaultAwsCredentialsProvider : IAwsCredentialsProvider, IDisposable
{
    private readonly SemaphoreSlim _resolveLock = new(1, 1);
    private AWSCredentials? _source;

    public async ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        var source = Volatile.Read(ref _source) ?? await ResolveSourceAsync(cancellationToken);
        return await source.GetCredentialsAsync();
    }

    public void Dispose() => _resolveLock.Dispose();

    private async Task<AWSCredentials> ResolveSourceAsync(CancellationToken cancellationToken)
    {
        await _resolveLock.WaitAsync(cancellationToken);
        try
        {
            var source = _source;
            if (source is null)
            {
                source = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(clientConfig: null);
                Volatile.Write(ref _source, source);
            }

            return source;
        }
        finally
        {
            _resolveLock.Release();
        }
    }
}
