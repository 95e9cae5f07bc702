using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using SocketRelay.Domain.Identifiers;
using SocketRelay.Domain.Messages;
using SocketRelay.Infrastructure.Connections;

namespace SocketRelay.Infrastructure.Tests.Connections;

/// <summary>A <see cref="ConnectionsApiNotifier"/> wired to an endpoint with fixed credentials and a bounded HttpClient.</summary>
public sealed class NotifierHarness : IDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-3";

    public NotifierHarness(
        Uri endpoint,
        TimeProvider? timeProvider = null,
        string? sessionToken = null,
        TimeSpan? httpTimeout = null,
        IAwsCredentialsProvider? credentials = null)
    {
        HttpClient = new HttpClient { Timeout = httpTimeout ?? TimeSpan.FromSeconds(5) };
        TimeProvider = timeProvider ?? TimeProvider.System;
        credentials ??= new StaticAwsCredentialsProvider(new ImmutableCredentials(AccessKey, SecretKey, sessionToken));
        Notifier = new ConnectionsApiNotifier(
            HttpClient,
            new ConnectionsApiOptions { Endpoint = endpoint, Region = Region },
            new SigV4Signer(credentials, TimeProvider),
            TimeProvider,
            NullLogger<ConnectionsApiNotifier>.Instance);
    }

    public HttpClient HttpClient { get; }

    public TimeProvider TimeProvider { get; }

    public ConnectionsApiNotifier Notifier { get; }

    public static Reply ReplyTo(string connectionId, string message = "hello world", string requestId = "Lo8hYGF2oAMFXvQ=") =>
        new(ConnectionId.Create(connectionId), RequestId.Create(requestId), message);

    public void Dispose() => HttpClient.Dispose();
}
