using Amazon.Runtime;

namespace SocketRelay.Infrastructure.Connections;

/// <summary>The AWS credentials requests are signed with, at the moment of signing.</summary>
public interface IAwsCredentialsProvider
{
    /// <summary>
    /// Returns current credentials. Throws <see cref="AmazonClientException"/> when none can be found,
    /// which no retry of the same request can fix.
    /// </summary>
    ValueTask<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
}
