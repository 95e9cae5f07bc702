using System.Text.Json.Nodes;
using SocketRelay.Deployment.Tests.Support;

namespace SocketRelay.Deployment.Tests.Vtl;

/// <summary>The parts of API Gateway's <c>$context</c> the SendMessage mapping template reads.</summary>
public sealed record GatewayContext(string ConnectionId, string RequestId);

/// <summary>One inbound WebSocket frame as the mapping template sees it.</summary>
public sealed record GatewayRequest(string Body, GatewayContext Context);

/// <summary>
/// Renders an API Gateway mapping template with velocityjs and a model of API Gateway's
/// <c>$input</c>, <c>$context</c> and <c>$util</c> (deploy/test/render-mapping-template.js).
/// One node process renders a whole batch of requests.
/// </summary>
public static class VtlRenderer
{
    /// <summary>The integration request bodies, one per request, in order.</summary>
    public static async Task<IReadOnlyList<string>> RenderAsync(string template, IReadOnlyList<GatewayRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        await NodeDependencies.EnsureInstalledAsync();

        var cases = new JsonArray();
        foreach (var request in requests)
        {
            cases.Add(new JsonObject
            {
                ["body"] = request.Body,
                ["context"] = new JsonObject
                {
                    ["connectionId"] = request.Context.ConnectionId,
                    ["requestId"] = request.Context.RequestId,
                },
            });
        }

        var input = new JsonObject { ["template"] = template, ["cases"] = cases }.ToJsonString();
        var output = await ChildProcess.RunAsync(
            "node",
            [RepositoryLayout.MappingTemplateRenderer],
            RepositoryLayout.DeployDirectory,
            NodeDependencies.QuietNodeEnvironment,
            standardInput: input);

        var results = JsonNode.Parse(output)!.AsArray();
        if (results.Count != requests.Count)
        {
            throw new InvalidOperationException($"rendered {results.Count} bodies for {requests.Count} requests");
        }

        return results.Select((result, index) => (string?)result!["rendered"]
            ?? throw new InvalidOperationException($"request {index} did not render: {(string?)result["error"]}")).ToList();
    }

    /// <summary>The SendMessage parameters SQS would read from the rendered body of each request.</summary>
    public static async Task<IReadOnlyList<SendMessageParameters>> RenderSendMessageAsync(
        string template,
        IReadOnlyList<GatewayRequest> requests)
    {
        var bodies = await RenderAsync(template, requests);
        return bodies.Select(SendMessageParameters.DecodeFormBody).ToList();
    }

    /// <summary>The SendMessage parameters SQS would read for one frame.</summary>
    public static async Task<SendMessageParameters> RenderSendMessageAsync(string template, string body, GatewayContext context) =>
        (await RenderSendMessageAsync(template, [new GatewayRequest(body, context)]))[0];
}
