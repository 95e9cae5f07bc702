using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketRelay.LocalGateway.Tests.EventSource;

/// <summary>
/// An independent implementation of SQS's digests: moto's SQS (the AWS mock that <c>moto_server</c> serves),
/// driven through boto3 in a <c>python3</c> child process. Each attribute set is sent to a moto queue and
/// received back; the answer is the <c>MD5OfMessageAttributes</c> moto reports (and checks it reported the
/// same on send and on receive).
/// </summary>
internal static class MotoSqs
{
    private const string Script = """
        import base64, json, sys
        from moto import mock_aws
        import boto3

        sets = json.load(sys.stdin)
        digests = []
        with mock_aws():
            sqs = boto3.client("sqs", region_name="us-east-1")
            url = sqs.create_queue(QueueName="digests")["QueueUrl"]
            for attributes in sets:
                for value in attributes.values():
                    if "BinaryValue" in value:
                        value["BinaryValue"] = base64.b64decode(value["BinaryValue"])
                sent = sqs.send_message(QueueUrl=url, MessageBody="body", MessageAttributes=attributes)
                received = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
                sqs.delete_message(QueueUrl=url, ReceiptHandle=received["ReceiptHandle"])
                if sent["MD5OfMessageAttributes"] != received["MD5OfMessageAttributes"]:
                    raise SystemExit("moto reported different digests on send and receive")
                digests.append(sent["MD5OfMessageAttributes"])
        json.dump(digests, sys.stdout)
        """;

    /// <param name="attributeSets">Each set: name → (DataType, value); a Binary value is base64.</param>
    /// <returns>moto's <c>MD5OfMessageAttributes</c> for each set, in order.</returns>
    public static async Task<IReadOnlyList<string>> DigestsAsync(IEnumerable<IReadOnlyDictionary<string, (string DataType, string Value)>> attributeSets)
    {
        var request = new JsonArray([.. attributeSets.Select(set => (JsonNode)new JsonObject(set.Select(a => KeyValuePair.Create<string, JsonNode?>(a.Key, new JsonObject
        {
            ["DataType"] = a.Value.DataType,
            [a.Value.DataType.StartsWith("Binary", StringComparison.Ordinal) ? "BinaryValue" : "StringValue"] = a.Value.Value,
        }))))]);
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        await python.StandardInput.WriteAsync(request.ToJsonString());
        python.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = python.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = python.StandardError.ReadToEndAsync(timeout.Token);
        await python.WaitForExitAsync(timeout.Token);
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException($"moto (python3 with the moto and boto3 packages) failed: {await errors}");
        }

        return JsonSerializer.Deserialize<List<string>>(await output)!;
    }
}
