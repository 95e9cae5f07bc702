using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SQS;

namespace SocketRelay.LocalGateway.Queue.Sqs;

/// <summary>Creates the SQS client the adapter talks through.</summary>
public static class SqsClientFactory
{
    /// <summary>
    /// Signs requests to a local SQS-compatible endpoint when no AWS credentials are configured. Such
    /// endpoints accept any key, and a signed request also suits those that read the region or
    /// account from the signature.
    /// </summary>
    public static readonly AWSCredentials LocalEndpointCredentials = new BasicAWSCredentials("socketrelay-local", "socketrelay-local");

    /// <summary>
    /// A client for <see cref="SqsQueueOptions.ServiceUrl"/> when given, else for Amazon SQS in
    /// <see cref="SqsQueueOptions.Region"/>, with credentials from the standard AWS chain
    /// (environment, profile, SSO, container, instance). With a service URL and no credentials
    /// anywhere, it falls back to <see cref="LocalEndpointCredentials"/>.
    /// </summary>
    public static AmazonSQSClient Create(SqsQueueOptions options) => Create(options, ResolveStandardCredentials);

    internal static AmazonSQSClient Create(SqsQueueOptions options, Func<AmazonSQSConfig, AWSCredentials?> resolveCredentials)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = new AmazonSQSConfig();
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            // Without credentials Amazon SQS refuses every call; let the SDK's own error say so.
            return new AmazonSQSClient(config);
        }

        config.ServiceURL = options.ServiceUrl;
        config.AuthenticationRegion = options.Region;
        return new AmazonSQSClient(resolveCredentials(config) ?? LocalEndpointCredentials, config);
    }

    private static AWSCredentials? ResolveStandardCredentials(AmazonSQSConfig config)
    {
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(config);
        }
        catch (AmazonClientException)
        {
            return null;
        }
    }
}
