using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Playwright;
using SocketRelay.LocalGateway.Tests.Gateway;
using SocketRelay.LocalGateway.Tests.Reliability;
using SocketRelay.TestSupport;

namespace SocketRelay.LocalGateway.Tests.DevConsole;

/// <summary>
/// The console in a real browser (Debian's Chromium driven by Playwright) against a real gateway,
/// as a developer uses it: messages appear with their journeys, a poison message appears
/// dead-lettered with its reason, and the Redrive button puts it back on the queue.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleBrowserFixture fixture) : IClassFixture<ConsoleBrowserFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_message_sent_by_a_WebSocket_client_appears_with_its_journey_and_its_invocation_shows_the_function_log_lines()
    {
        var page = await fixture.OpenConsoleAsync();
        using var client = new ClientWebSocket();
        await client.ConnectAsync(fixture.Gateway.Host.WebSocketUrl, CancellationToken.None);
        await client.SendTextAsync("""{"MessageGroupId": "test", "data": "hello from the browser test"}""");
        await client.ReceiveTextAsync();

        var row = page.Locator("#messages tr.row[data-status='delivered']", new() { HasText = "hello from the browser test" });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = Ms(Patience) });
        await row.ClickAsync();
        var messageId = await row.GetAttributeAsync("data-message-id");
        var journey = page.Locator($"tr[data-journey-of='{messageId}']");
        await Assertions.Expect(journey.Locator("tr[data-step]")).ToHaveCountAsync(4);
        Assert.Equal(["received", "queued", "invoked", "delivered"], await journey.Locator("tr[data-step]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.step)"));
        await Assertions.Expect(journey.Locator("tr[data-step='delivered']")).ToContainTextAsync("@connections 200");

        // Lambda's request ids are UUIDs.
        var invocation = System.Text.RegularExpressions.Regex.Match(
            await journey.Locator("tr[data-step='invoked']").InnerTextAsync(), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").Value;
        Assert.NotEmpty(invocation);
        await page.Locator($"tr[data-invocation='{invocation}']").ClickAsync();
        var logs = page.Locator($"tr[data-logs-of='{invocation}'] pre");
        await Assertions.Expect(logs).ToContainTextAsync($"\"function_request_id\":\"{invocation}\"");
        await Assertions.Expect(logs).ToContainTextAsync("Batch of 1 processed");
    }

    [Fact]
    public async Task A_poison_message_appears_dead_lettered_with_its_reason_and_the_Redrive_button_puts_it_back_on_the_queue()
    {
        var page = await fixture.OpenConsoleAsync();
        using var healthy = new ClientWebSocket();
        await healthy.ConnectAsync(fixture.Gateway.Host.WebSocketUrl, CancellationToken.None);
        await healthy.SendTextAsync("""{"MessageGroupId": "chat", "data": "a healthy message"}""");
        await using var sender = await LedgerClient.ConnectAsync(fixture.Gateway.Host.WebSocketUrl, "poisoned");
        await sender.SendLargeAsync(OversizedReplyBody());

        var deadLetter = page.Locator("#dead-letters tr[data-dead-letter]");
        await Assertions.Expect(deadLetter).ToHaveCountAsync(1, new() { Timeout = Ms(Patience) });
        await Assertions.Expect(deadLetter.Locator(".reason")).ToContainTextAsync("413");
        await Assertions.Expect(deadLetter.Locator(".reason")).ToContainTextAsync("128 KB");
        var messageId = await deadLetter.GetAttributeAsync("data-dead-letter");
        var poisonRow = page.Locator($"#messages tr.row[data-message-id='{messageId}']");
        await Assertions.Expect(poisonRow).ToHaveAttributeAsync("data-status", "dead-lettered");
        await poisonRow.ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-journey-of='{messageId}'] tr[data-step='parked']").First).ToContainTextAsync("@connections 413");
        await page.Locator("#messages tr.row[data-status='delivered']", new() { HasText = "a healthy message" }).ClickAsync();
        await SaveScreenshotAsync(page);

        await deadLetter.Locator("button.redrive").ClickAsync();

        await Assertions.Expect(deadLetter).ToHaveCountAsync(0);
        var steps = page.Locator($"tr[data-journey-of='{messageId}'] tr[data-step]");
        await Assertions.Expect(steps.Filter(new() { HasText = "redriven" })).ToHaveCountAsync(1);
        var back = await WaitForAsync(async () =>
        {
            var journey = await fixture.GetJsonAsync($"/_local/api/messages?messageId={messageId}");
            var all = journey.GetProperty("messages")[0].GetProperty("steps").EnumerateArray().ToList();
            return all.SkipWhile(s => s.GetProperty("step").GetString() != "redriven").Skip(1).FirstOrDefault(s => s.GetProperty("step").GetString() == "invoked");
        });
        Assert.Equal(1, back.GetProperty("receiveCount").GetInt32());
    }

    /// <summary>About 70 KB of <c>\"</c> pairs: accepted, but its reply envelope escapes them again and is over 128 KB.</summary>
    private static string OversizedReplyBody() =>
        $$"""{"MessageGroupId":"poisoned","seq":1,"quotes":"{{string.Concat(Enumerable.Repeat("\\\"", 35 * 1024))}}"}""";

    private static float Ms(TimeSpan time) => (float)time.TotalMilliseconds;

    private static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement>> probe)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var found = await probe();
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < until, "the redriven message was not received again");
            await Task.Delay(200);
        }
    }

    /// <summary>The README's picture of the console, made from this run.</summary>
    private static async Task SaveScreenshotAsync(IPage page)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Solution.sln")))
        {
            root = root.Parent;
        }

        if (root is not null)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(root.FullName, "docs", "images", "console.png"), FullPage = true });
        }
    }
}

/// <summary>One gateway (receives and time-outs short enough for a poison message to reach the DLQ in seconds) and one browser for the class.</summary>
public sealed class ConsoleBrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    internal ReliabilityGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = await ReliabilityGateway.StartAsync(
            options =>
            {
                options.MaxReceiveCount = 2;
                options.FunctionTimeoutSeconds = 2;
                options.VisibilityTimeoutSeconds = 2;
            },
            new Dictionary<string, string>(StringComparer.Ordinal) { ["SOCKETRELAY_DEADLINE_MARGIN_MS"] = "300" });
        await DebianPackages.EnsureAsync((Chromium, "chromium"));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    public async Task<IPage> OpenConsoleAsync()
    {
        var page = await _browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        await page.GotoAsync(new Uri(Gateway.Host.HttpUrl, "/_local/").ToString());
        await Assertions.Expect(page.Locator("#live")).ToHaveClassAsync("live ok");
        return page;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = Gateway.Host.HttpUrl };
        return await http.GetFromJsonAsync<JsonElement>(path);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Gateway.DisposeAsync();
    }
}
