using SocketRelay.Domain.Messages;
using SocketRelay.Infrastructure.Sqs;

namespace SocketRelay.Infrastructure.Tests.Sqs;

public class SqsRecordMapperTests
{
    private static SqsRecord Record(string id = "m-1", string? group = "g", string? connection = "conn", string? request = "req", string? body = "{}")
    {
        var attributes = new Dictionary<string, SqsMessageAttributeValue>();
        if (connection is not null)
        {
            attributes["connectionId"] = new() { StringValue = connection, DataType = "String" };
        }

        if (request is not null)
        {
            attributes["requestId"] = new() { StringValue = request, DataType = "String" };
        }

        var system = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "2" };
        if (group is not null)
        {
            system["MessageGroupId"] = group;
        }

        return new SqsRecord { MessageId = id, Body = body, Attributes = system, MessageAttributes = attributes };
    }

    [Fact]
    public void A_complete_record_becomes_a_queued_message_with_every_field()
    {
        var item = Assert.Single(SqsRecordMapper.ToBatch(new SqsEvent { Records = [Record(body: "{\"a\":\"& + %\"}")] }));

        var message = Assert.IsType<BatchItem.Valid>(item).Message;
        Assert.Equal("m-1", message.MessageId.Value);
        Assert.Equal("g", message.GroupId.Value);
        Assert.Equal("conn", message.ConnectionId.Value);
        Assert.Equal("req", message.RequestId.Value);
        Assert.Equal("{\"a\":\"& + %\"}", message.Body);
        Assert.Equal(2, message.ReceiveCount);
    }

    [Fact]
    public void The_documented_batch_keeps_record_order_and_turns_the_record_without_connection_into_an_invalid_item()
    {
        var items = SqsRecordMapper.ToBatch(SqsEventContractTests.Load("socketrelay-batch.json"));

        Assert.Equal(["059f36b4-87a3-44ab-83d2-661975830a7d", "2e1424d4-f796-459a-8184-9c92662be6da"], items.Select(i => i.MessageId.Value));
        Assert.Equal(3, Assert.IsType<BatchItem.Valid>(items[0]).Message.ReceiveCount);
        var invalid = Assert.IsType<BatchItem.Invalid>(items[1]);
        Assert.Equal("test", invalid.GroupId.Value);
        Assert.Equal("the record has no \"connectionId\" message attribute", invalid.Reason);
    }

    [Theory]
    [InlineData(null, "req", "{}", "the record has no \"connectionId\" message attribute")]
    [InlineData("", "req", "{}", "message attribute \"connectionId\" is required")]
    [InlineData("has space", "req", "{}", "message attribute \"connectionId\" must be printable ASCII without spaces")]
    [InlineData("conn", null, "{}", "the record has no \"requestId\" message attribute")]
    [InlineData("conn", "req", null, "the record has no body")]
    public void A_record_that_can_never_succeed_becomes_invalid_with_its_reason_and_keeps_its_group(string? connection, string? request, string? body, string reason)
    {
        var item = Assert.Single(SqsRecordMapper.ToBatch(new SqsEvent { Records = [Record(connection: connection, request: request, body: body)] }));

        var invalid = Assert.IsType<BatchItem.Invalid>(item);
        Assert.Equal(reason, invalid.Reason);
        Assert.Equal("g", invalid.GroupId.Value);
        Assert.Equal("m-1", invalid.MessageId.Value);
    }

    [Fact]
    public void A_record_with_an_invalid_group_is_invalid_and_forms_its_own_group()
    {
        var item = Assert.Single(SqsRecordMapper.ToBatch(new SqsEvent { Records = [Record(group: "bad group")] }));

        var invalid = Assert.IsType<BatchItem.Invalid>(item);
        Assert.StartsWith("MessageGroupId character at position 3", invalid.Reason, StringComparison.Ordinal);
        Assert.Equal("m-1", invalid.GroupId.Value);
    }

    [Fact]
    public void A_standard_queue_record_without_a_group_is_its_own_group()
    {
        var items = SqsRecordMapper.ToBatch(new SqsEvent { Records = [Record(id: "a", group: null), Record(id: "b", group: null)] });

        Assert.Equal(["a", "b"], items.Select(i => i.GroupId.Value));
    }

    [Theory]
    [InlineData(129)]
    [InlineData(256)]
    public void A_record_with_a_long_message_id_and_an_invalid_group_is_invalid_not_a_failed_batch(int idLength)
    {
        var id = new string('m', idLength);
        var items = SqsRecordMapper.ToBatch(new SqsEvent { Records = [Record(id: id, group: "bad group"), Record(id: "next")] });

        var invalid = Assert.IsType<BatchItem.Invalid>(items[0]);
        Assert.Equal(id, invalid.MessageId.Value);
        Assert.StartsWith("MessageGroupId character at position 3", invalid.Reason, StringComparison.Ordinal);
        Assert.Equal(OwnGroupOf(id), invalid.GroupId.Value);
        Assert.IsType<BatchItem.Valid>(items[1]);
    }

    [Theory]
    [InlineData(129)]
    [InlineData(256)]
    public void A_standard_queue_record_with_a_long_message_id_is_its_own_group(int idLength)
    {
        var first = new string('a', idLength);
        var second = new string('b', idLength);

        var items = SqsRecordMapper.ToBatch(new SqsEvent { Records = [Record(id: first, group: null), Record(id: second, group: null)] });

        Assert.Equal([first, second], items.Select(i => Assert.IsType<BatchItem.Valid>(i).Message.MessageId.Value));
        Assert.Equal([OwnGroupOf(first), OwnGroupOf(second)], items.Select(i => i.GroupId.Value));
    }

    private static string OwnGroupOf(string messageId) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(messageId)));

    [Fact]
    public void A_missing_receive_count_reads_as_one()
    {
        var record = Record();
        record.Attributes!.Remove("ApproximateReceiveCount");

        Assert.Equal(1, Assert.IsType<BatchItem.Valid>(Assert.Single(SqsRecordMapper.ToBatch(new SqsEvent { Records = [record] }))).Message.ReceiveCount);
    }

    [Fact]
    public void An_event_without_records_or_a_record_without_message_id_is_malformed()
    {
        Assert.Equal("the event has no \"Records\" array", Assert.Throws<MalformedEventException>(() => SqsRecordMapper.ToBatch(new SqsEvent())).Message);
        Assert.StartsWith("record 1: messageId", Assert.Throws<MalformedEventException>(
            () => SqsRecordMapper.ToBatch(new SqsEvent { Records = [Record(), Record(id: "")] })).Message, StringComparison.Ordinal);
    }
}
