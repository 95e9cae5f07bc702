using System.Globalization;
using System.Text;
using SocketRelay.Infrastructure.LambdaRuntime;

namespace SocketRelay.LocalGateway.Hosting;

internal static class Banner
{
    /// <summary>What the operator must not miss: a gateway reachable from the network, or faults injected on purpose.</summary>
    public static IEnumerable<string> Warnings(GatewayOptions options)
    {
        if (options.ToFaultOptions().Enabled)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"FAULT INJECTION: {options.FaultRate:P0} of @connections POSTs fail with {options.FaultStatus}; up to {options.FaultLatencyMs} ms added latency.");
        }

        if (options.Host is not ("127.0.0.1" or "::1" or "localhost"))
        {
            yield return $"WARNING: bound to {options.Host}: the WebSocket API is reachable from the network. The @connections and /_local APIs still answer callers on this machine only.";
        }
    }

    /// <summary>
    /// A signed <c>curl</c> and an <c>aws</c> CLI call that post <c>hello</c> to connection <c>&lt;id&gt;</c>, runnable
    /// as printed once <c>&lt;id&gt;</c> is replaced. The <c>aws</c> call runs without the shell's profile and session token
    /// (a token held for AWS, from an assumed role or aws-vault, is not the gateway's, and it is refused as AWS refuses it)
    /// and names its region, which beats <c>AWS_REGION</c> and the profile's.
    /// </summary>
    public static IReadOnlyList<string> PostExamples(GatewayHost gateway)
    {
        var options = gateway.Options;
        var endpoint = gateway.ConnectionsEndpoint.ToString().TrimEnd('/');
        var region = gateway.Identity.Region;
        return
        [
            $"curl --aws-sigv4 \"aws:amz:{region}:execute-api\" --user \"{options.AccessKeyId}:{options.SecretAccessKey}\" -X POST -d 'hello' {endpoint}/@connections/<id>",
            $"env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID={options.AccessKeyId} AWS_SECRET_ACCESS_KEY={options.SecretAccessKey} aws apigatewaymanagementapi post-to-connection --region {region} --endpoint-url {endpoint} --connection-id <id> --data hello",
        ];
    }

    /// <summary>
    /// The first execution environment's Runtime API and, when there are more, the ports of the others: each
    /// environment has its own (its function process's <c>AWS_LAMBDA_RUNTIME_API</c>), and the function polls it,
    /// so the line says that another client polling it would take the function's work.
    /// </summary>
    internal static string RuntimeApis(IReadOnlyList<string> addresses)
    {
        if (addresses.Count == 0)
        {
            return "";
        }

        const string Owner = "the function's own: anything else polling it takes the function's invocations";
        var first = $"http://{addresses[0]}/{RuntimeApiContract.Version}/runtime";
        if (addresses.Count == 1)
        {
            return $"{first}  ({Owner})";
        }

        var others = string.Join(", ", addresses.Skip(1).Select(address => address[(address.LastIndexOf(':') + 1)..]));
        return $"{first}  (execution environment 1 of {addresses.Count}; the others on ports {others}; {Owner})";
    }

    public static string For(GatewayHost gateway)
    {
        var options = gateway.Options;
        var http = gateway.HttpUrl.ToString().TrimEnd('/');
        var ws = gateway.WebSocketUrl.ToString().TrimEnd('/');
        var queue = options.Queue == "sqlite"
            ? $"sqlite, durable, in {Path.GetFullPath(options.DataDir)}"
            : $"Amazon SQS {options.SqsQueueUrl}";
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("SocketRelay local gateway is running");
        var endpoint = gateway.ConnectionsEndpoint.ToString().TrimEnd('/');
        var region = gateway.Identity.Region;
        text.AppendLine(CultureInfo.InvariantCulture, $"  WebSocket API       {ws}  (also {ws}/{options.Stage})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  @connections API    {endpoint}/@connections/{{connectionId}}  (SigV4: execute-api, {region})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Credentials         AWS_ACCESS_KEY_ID={options.AccessKeyId} AWS_SECRET_ACCESS_KEY={options.SecretAccessKey}  (the function's; @connections accepts only these)");
        if (gateway.Recorder is null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Status              {http}/_local/status  (developer console off)");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Developer console   {http}/_local/  (status JSON: {http}/_local/status)");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  Lambda Runtime API  {RuntimeApis(gateway.RuntimeApiAddresses)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Function            {gateway.FunctionDescription}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Function ARN        {gateway.Identity.FunctionArn} ({gateway.Identity.FunctionMemoryMb} MB)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Queue               {queue}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Queue ARN           {gateway.Identity.QueueArn}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Connect:  npx --yes wscat -c {ws}");
        text.AppendLine("Send:     {\"MessageGroupId\":\"test\",\"data\":\"hello world\"}");
        text.AppendLine();
        text.AppendLine("Post to a connection yourself (<id> from a reply's connectionId; in the curl URL write / as %2F):");
        foreach (var example in PostExamples(gateway))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {example}");
        }
        foreach (var warning in Warnings(options))
        {
            text.AppendLine();
            text.AppendLine(warning);
        }

        text.AppendLine("Press Ctrl+C to stop.");
        return text.ToString();
    }
}
