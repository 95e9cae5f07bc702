using System.Text.Json;
using SocketRelay.Infrastructure.Serialization;
using SocketRelay.Infrastructure.Sqs;

namespace SocketRelay.Infrastructure.Tests.Sqs;

public class SqsEventContractTests
{
    internal static SqsEvent Load(string name) =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sqs", "Events", name)), SocketRelayJsonContext.Wire.SqsEvent)!;

    [Fact]
    public void The_documented_fifo_sample_event_reads_every_field()
    {
        var record = Assert.Single(Load("aws-fifo-sample.json").Records!);

        Assert.Equal("11d6ee51-4cc7-4302-9e22-7cd8afdaadf5", record.MessageId);
        Assert.Equal("AQEBBX8nesZEXmkhsmZeyIE8iQAMig7qw...", record.ReceiptHandle);
        Assert.Equal("Test message.", record.Body);
        Assert.Equal("1", record.Attributes!["ApproximateReceiveCount"]);
        Assert.Equal("18849496460467696128", record.Attributes["SequenceNumber"]);
        Assert.Equal("1", record.Attributes["MessageGroupId"]);
        Assert.Equal("1", record.Attributes["MessageDeduplicationId"]);
        Assert.Equal("AIDAIO23YVJENQZJOL4VO", record.Attributes["SenderId"]);
        Assert.Empty(record.MessageAttributes!);
        Assert.Equal("e4e68fb7bd0e697a0ae8f1bb342846b3", record.Md5OfBody);
        Assert.Equal("aws:sqs", record.EventSource);
        Assert.Equal("arn:aws:sqs:us-east-2:123456789012:fifo.fifo", record.EventSourceArn);
        Assert.Equal("us-east-2", record.AwsRegion);
    }

    [Fact]
    public void Message_attributes_read_with_their_aws_field_names()
    {
        var record = Load("socketrelay-batch.json").Records![0];

        var connection = record.MessageAttributes!["connectionId"];
        Assert.Equal("L0SM9cOFvHcCIhw=", connection.StringValue);
        Assert.Equal("String", connection.DataType);
        Assert.Empty(connection.StringListValues!);
        Assert.Empty(connection.BinaryListValues!);
        Assert.Equal("{\"MessageGroupId\":\"test\",\"data\":\"hello world & + % = é 𝄞\"}", record.Body);
    }

    [Fact]
    public void The_event_round_trips_with_aws_field_names()
    {
        var json = JsonSerializer.Serialize(Load("socketrelay-batch.json"), SocketRelayJsonContext.Wire.SqsEvent);
        using var document = JsonDocument.Parse(json);

        var record = document.RootElement.GetProperty("Records")[0];
        foreach (var name in new[] { "messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion" })
        {
            Assert.True(record.TryGetProperty(name, out _), name);
        }

        Assert.Equal("L0SM9cOFvHcCIhw=", record.GetProperty("messageAttributes").GetProperty("connectionId").GetProperty("stringValue").GetString());
    }

    [Fact]
    public void The_batch_response_is_exactly_the_partial_batch_failure_shape()
    {
        var response = new SqsBatchResponse { BatchItemFailures = [new() { ItemIdentifier = "id-1" }, new() { ItemIdentifier = "id-2" }] };

        Assert.Equal(
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"id-1\"},{\"itemIdentifier\":\"id-2\"}]}",
            JsonSerializer.Serialize(response, SocketRelayJsonContext.Wire.SqsBatchResponse));
        Assert.Equal("{\"batchItemFailures\":[]}", JsonSerializer.Serialize(new SqsBatchResponse(), SocketRelayJsonContext.Wire.SqsBatchResponse));
    }

    [Fact]
    public void The_reply_envelope_is_the_seed_envelope_with_quotes_escaped_as_the_seed_shows()
    {
        var json = JsonSerializer.Serialize(
            new ReplyEnvelope("L0SM9cOFvHcCIhw=", "L0SM9GRkvHcFhWg=", "{\"MessageGroupId\":\"test\",\"data\":\"hello world\"}"),
            SocketRelayJsonContext.Wire.ReplyEnvelope);

        Assert.Equal(
            "{\"connectionId\":\"L0SM9cOFvHcCIhw=\",\"requestId\":\"L0SM9GRkvHcFhWg=\",\"message\":\"{\\\"MessageGroupId\\\":\\\"test\\\",\\\"data\\\":\\\"hello world\\\"}\"}",
            json);
    }

    [Theory]
    [InlineData("& + % = < > '")]
    [InlineData("é ü 中文")]
    [InlineData("𝄞 astral")]
    [InlineData("back\\slash \"quote\" new\nline\ttab")]
    public void Any_reply_text_decodes_back_byte_exact(string message)
    {
        var json = JsonSerializer.Serialize(new ReplyEnvelope("c", "r", message), SocketRelayJsonContext.Wire.ReplyEnvelope);

        Assert.Equal(message, JsonSerializer.Deserialize(json, SocketRelayJsonContext.Wire.ReplyEnvelope)!.Message);
    }
}
