using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SocketRelay.Infrastructure.LambdaRuntime;
using SocketRelay.Infrastructure.Logging;

namespace SocketRelay.Infrastructure.Tests.LambdaRuntime;

/// <summary>
/// The runtime loop knows no event type: any <see cref="InvocationHandler"/> plugs in, and the loop
/// speaks the Runtime API of <see cref="RuntimeApiContract"/> for it.
/// </summary>
public class LambdaRuntimeLoopTests
{
    [Fact]
    public async Task Any_handler_gets_each_invocation_with_its_headers_and_its_response_is_posted_on_the_contract_path()
    {
        var api = new ScriptedRuntimeApi().Event("req/1", "\"ping\"").Event("req-2", "[1,2]");
        var seen = new List<Invocation>();

        await api.RunAsync((invocation, _) =>
        {
            seen.Add(invocation);
            return Task.FromResult(Encoding.UTF8.GetBytes($"{{\"length\":{invocation.Payload.Length}}}"));
        });

        Assert.Equal(["req/1", "req-2"], seen.Select(i => i.RequestId));
        Assert.Equal("\"ping\"", Encoding.UTF8.GetString(seen[0].Payload));
        Assert.Equal(ScriptedRuntimeApi.Deadline, seen[0].Deadline);
        Assert.Equal(ScriptedRuntimeApi.Arn, seen[0].FunctionArn);
        Assert.Equal("Root=1-req-2", seen[1].TraceId);
        Assert.Equal(
            [
                ("POST", "/2018-06-01/runtime/invocation/req%2F1/response", null, "{\"length\":6}"),
                ("POST", "/2018-06-01/runtime/invocation/req-2/response", null, "{\"length\":5}"),
            ],
            api.Posts);
    }

    [Fact]
    public async Task A_rejected_invocation_is_posted_as_an_error_of_its_type_and_the_loop_serves_the_next_one()
    {
        var api = new ScriptedRuntimeApi().Event("bad", "{}").Event("boom", "{}").Event("ok", "{}");

        await api.RunAsync((invocation, _) => invocation.RequestId switch
        {
            "bad" => throw new InvocationErrorException("Orders.UnknownEvent", "not an order event"),
            "boom" => throw new InvalidOperationException("bug"),
            _ => Task.FromResult("{}"u8.ToArray()),
        });

        Assert.Equal(3, api.Posts.Count);
        Assert.Equal(("POST", "/2018-06-01/runtime/invocation/bad/error", "Orders.UnknownEvent"), (api.Posts[0].Method, api.Posts[0].Path, api.Posts[0].ErrorType));
        using (var error = JsonDocument.Parse(api.Posts[0].Body))
        {
            Assert.Equal("not an order event", error.RootElement.GetProperty("errorMessage").GetString());
            Assert.Equal("Orders.UnknownEvent", error.RootElement.GetProperty("errorType").GetString());
        }

        Assert.Equal(("/2018-06-01/runtime/invocation/boom/error", "Runtime.Unhandled"), (api.Posts[1].Path, api.Posts[1].ErrorType));
        Assert.Equal(("/2018-06-01/runtime/invocation/ok/response", null), (api.Posts[2].Path, api.Posts[2].ErrorType));
    }

    /// <summary>A Runtime API behind an <see cref="HttpMessageHandler"/>: hands out scripted events, records every post, stops the loop when out of events.</summary>
    private sealed class ScriptedRuntimeApi : HttpMessageHandler
    {
        public const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:test";
        public static readonly DateTimeOffset Deadline = DateTimeOffset.FromUnixTimeMilliseconds(1_900_000_000_123);

        private readonly Queue<(string RequestId, string Payload)> _events = new();
        private readonly CancellationTokenSource _stop = new();

        public List<(string Method, string Path, string? ErrorType, string Body)> Posts { get; } = [];

        public ScriptedRuntimeApi Event(string requestId, string payload)
        {
            _events.Enqueue((requestId, payload));
            return this;
        }

        public async Task RunAsync(InvocationHandler handler)
        {
            using var client = new RuntimeApiClient("runtime.test:9001", this);
            var loop = new LambdaRuntimeLoop(client, handler, new LambdaLogContext(_ => null), NullLogger<LambdaRuntimeLoop>.Instance);
            await loop.RunAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("runtime.test:9001", request.RequestUri!.Authority);
            var path = request.RequestUri.AbsolutePath;
            if (request.Method == HttpMethod.Get)
            {
                Assert.Equal(RuntimeApiContract.NextInvocationPath, path);
                if (!_events.TryDequeue(out var next))
                {
                    await _stop.CancelAsync();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(next.Payload) };
                response.Headers.Add(RuntimeApiContract.RequestIdHeader, next.RequestId);
                response.Headers.Add(RuntimeApiContract.DeadlineHeader, Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
                response.Headers.Add(RuntimeApiContract.FunctionArnHeader, Arn);
                response.Headers.Add(RuntimeApiContract.TraceIdHeader, $"Root=1-{next.RequestId}");
                return response;
            }

            var errorType = request.Headers.TryGetValues(RuntimeApiContract.ErrorTypeHeader, out var values) ? values.Single() : null;
            Posts.Add((request.Method.Method, request.RequestUri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped), errorType, await request.Content!.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }

        protected override void Dispose(bool disposing)
        {
            _stop.Dispose();
            base.Dispose(disposing);
        }
    }
}
