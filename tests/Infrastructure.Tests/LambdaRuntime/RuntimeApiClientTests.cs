using System.Globalization;
using System.Net;
using SocketRelay.Infrastructure.LambdaRuntime;

namespace SocketRelay.Infrastructure.Tests.LambdaRuntime;

/// <summary>The event as the Runtime API sends it: with a <c>Content-Length</c>, or chunked without one.</summary>
public sealed class RuntimeApiClientTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_event_is_read_whole_with_or_without_a_content_length(bool withContentLength)
    {
        var payload = new byte[300_000];
        new Random(7).NextBytes(payload);
        using var client = new RuntimeApiClient("runtime.test:9001", new OneEvent(payload, withContentLength));

        var invocation = await client.GetNextInvocationAsync(CancellationToken.None);

        Assert.Equal("request-1", invocation.RequestId);
        Assert.Equal(payload, invocation.Payload);
    }

    [Fact]
    public async Task A_body_that_ends_before_its_content_length_is_an_error_not_a_short_event()
    {
        using var client = new RuntimeApiClient("runtime.test:9001", new OneEvent(new byte[100], withContentLength: true, claimedLength: 101));

        await Assert.ThrowsAsync<EndOfStreamException>(() => client.GetNextInvocationAsync(CancellationToken.None));
    }

    private sealed class OneEvent(byte[] payload, bool withContentLength, long? claimedLength = null) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // A stream that cannot say its length, so StreamContent sends none unless told.
            var content = new StreamContent(new UnseekableStream(payload));
            if (withContentLength)
            {
                content.Headers.ContentLength = claimedLength ?? payload.Length;
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            response.Headers.Add(RuntimeApiContract.RequestIdHeader, "request-1");
            response.Headers.Add(RuntimeApiContract.DeadlineHeader, 1_900_000_000_000L.ToString(CultureInfo.InvariantCulture));
            return Task.FromResult(response);
        }
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
