using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketRelay.LocalGateway.Tests.Gateway;
using SocketRelay.LocalGateway.Tests.Reliability;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.DevConsole;

/// <summary>
/// The console has no password, so it must be unreachable from anywhere but this machine and
/// its actions unusable from any other web page: each refusal against a real gateway on Kestrel.
/// </summary>
public sealed class ConsoleSecurityTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Redrive = "/_local/api/dead-letters/redrive";

    public static TheoryData<string> ReadPaths { get; } = new()
    {
        "/_local/", "/_local/console.js", "/_local/status", "/_local/api/pipeline", "/_local/api/messages",
        "/_local/api/connections", "/_local/api/invocations", "/_local/api/dead-letters",
    };

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task Every_console_route_answers_a_loopback_caller_that_names_this_machine(string path)
    {
        foreach (var host in new[] { "127.0.0.1:{0}", "localhost:{0}", "[::1]:{0}", "LOCALHOST" })
        {
            using var response = await SendAsync(HttpMethod.Get, path, request => request.Headers.Host = string.Format(System.Globalization.CultureInfo.InvariantCulture, host, Port));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task A_request_whose_Host_is_another_name_is_refused_so_DNS_rebinding_cannot_read_the_console(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, request => request.Headers.Host = $"attacker.example:{Port}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", body, StringComparison.Ordinal);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("the Host header must name this machine", System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redrive_with_a_rebound_Host_is_refused_even_with_the_console_header() =>
        await AssertRefusedAsync(HttpMethod.Post, Redrive, request =>
        {
            request.Headers.Host = $"attacker.example:{Port}";
            request.Headers.Add("X-SocketRelay-Console", "1");
        }, "Host");

    [Fact]
    public async Task A_redrive_from_another_origin_is_refused() =>
        await AssertRefusedAsync(HttpMethod.Post, Redrive, request =>
        {
            request.Headers.Add("Origin", "http://attacker.example");
            request.Content = Json();
        }, "Origin");

    [Fact]
    public async Task A_redrive_from_the_same_host_on_another_port_is_refused() =>
        await AssertRefusedAsync(HttpMethod.Post, Redrive, request =>
        {
            request.Headers.Add("Origin", $"http://127.0.0.1:{Port + 1}");
            request.Content = Json();
        }, "Origin");

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task A_redrive_the_browser_marks_as_not_same_origin_is_refused(string fetchSite) =>
        await AssertRefusedAsync(HttpMethod.Post, Redrive, request =>
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
            request.Content = Json();
        }, "Sec-Fetch-Site");

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_simple_form_post_is_refused(string contentType) =>
        await AssertRefusedAsync(HttpMethod.Post, Redrive, request =>
            request.Content = new ByteArrayContent("a=b"u8.ToArray()) { Headers = { { "Content-Type", contentType } } }, "form post");

    [Fact]
    public async Task A_delete_from_another_origin_or_without_the_console_header_is_refused()
    {
        await AssertRefusedAsync(HttpMethod.Delete, "/_local/api/dead-letters/some-id", request =>
        {
            request.Headers.Add("Origin", "http://attacker.example");
            request.Headers.Add("X-SocketRelay-Console", "1");
        }, "Origin");
        await AssertRefusedAsync(HttpMethod.Delete, "/_local/api/dead-letters/some-id", _ => { }, "a DELETE without either is refused");
    }

    [Fact]
    public async Task The_console_page_itself_may_redrive_same_origin_with_its_header()
    {
        using var response = await SendAsync(HttpMethod.Post, Redrive, request =>
        {
            request.Headers.Add("Origin", $"http://127.0.0.1:{Port}");
            request.Headers.Add("Sec-Fetch-Site", "same-origin");
            request.Headers.Add("X-SocketRelay-Console", "1");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"redriven":[]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_caller_from_another_machine_is_refused_even_when_it_claims_a_loopback_Host()
    {
        var address = LocalNetwork.FirstLanAddress();
        if (address is null)
        {
            return; // No other address to call from: a machine without a network cannot be reached from one either.
        }

        await using var gateway = await ReliabilityGateway.StartAsync(options => options.Host = "0.0.0.0", new Dictionary<string, string>());
        using var http = new HttpClient { BaseAddress = new Uri($"http://{address}:{gateway.Host.HttpUrl.Port}") };

        foreach (var path in new[] { "/_local/", "/_local/api/messages", "/_local/status" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = $"127.0.0.1:{gateway.Host.HttpUrl.Port}";
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("""{"error":"/_local/ answers callers on this machine only"}""", await response.Content.ReadAsStringAsync());
        }
    }

    private int Port => fixture.Gateway.HttpUrl.Port;

    private static StringContent Json() => new("{}", Encoding.UTF8, "application/json");

    private async Task AssertRefusedAsync(HttpMethod method, string path, Action<HttpRequestMessage> configure, string reason)
    {
        using var response = await SendAsync(method, path, configure);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage> configure)
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.HttpUrl };
        using var request = new HttpRequestMessage(method, path);
        configure(request);
        return await http.SendAsync(request);
    }
}
