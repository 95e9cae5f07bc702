using SocketRelay.Infrastructure.Sqs;
using SocketRelay.LocalGateway.EventSource;

namespace SocketRelay.LocalGateway.Tests.EventSource;

/// <summary>SQS's MD5 digests, as each SQS event record carries them (<c>md5OfBody</c>, <c>md5OfMessageAttributes</c>).</summary>
public sealed class SqsMessageDigestTests
{
    private static KeyValuePair<string, SqsMessageAttributeValue> Attribute(string name, string dataType, string value) =>
        KeyValuePair.Create(name, dataType.StartsWith("Binary", StringComparison.Ordinal)
            ? new SqsMessageAttributeValue { DataType = dataType, BinaryValue = value }
            : new SqsMessageAttributeValue { DataType = dataType, StringValue = value });

    [Fact]
    public void The_documented_vector_one_number_attribute()
    {
        Assert.Equal("235c5c510d26fb653d073faed50ae77c", SqsMessageDigest.OfMessageAttributes([Attribute("timestamp", "Number", "1493147359900")]));
    }

    [Fact]
    public void The_body_digest_of_awss_example_event()
    {
        Assert.Equal("e4e68fb7bd0e697a0ae8f1bb342846b3", SqsMessageDigest.OfBody("Test message."));
    }

    [Fact]
    public void Attributes_are_digested_in_name_order_whatever_order_they_come_in()
    {
        var forward = SqsMessageDigest.OfStringAttributes(new Dictionary<string, string> { ["connectionId"] = "c1", ["requestId"] = "r1" });
        var backward = SqsMessageDigest.OfStringAttributes(new Dictionary<string, string> { ["requestId"] = "r1", ["connectionId"] = "c1" });

        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, SqsMessageDigest.OfStringAttributes(new Dictionary<string, string> { ["connectionId"] = "r1", ["requestId"] = "c1" }));
    }

    [Fact]
    public void A_message_without_attributes_has_no_attribute_digest()
    {
        Assert.Null(SqsMessageDigest.OfStringAttributes(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("Date")]
    [InlineData("")]
    [InlineData("Stringy")]
    public void An_unknown_data_type_is_refused(string dataType)
    {
        Assert.Throws<ArgumentException>(() => SqsMessageDigest.OfMessageAttributes([Attribute("a", dataType, "x")]));
    }

    [Fact]
    public async Task Every_kind_of_attribute_set_digests_as_moto_digests_it()
    {
        IReadOnlyDictionary<string, (string DataType, string Value)>[] sets =
        [
            new Dictionary<string, (string, string)> { ["timestamp"] = ("Number", "1493147359900") },
            new Dictionary<string, (string, string)> { ["requestId"] = ("String", "L0SM9cOFvHcCIhw="), ["connectionId"] = ("String", "UXVldWVVcmwrLw==") },
            new Dictionary<string, (string, string)> { ["blob"] = ("Binary", Convert.ToBase64String([0, 1, 2, 255, 254, 0])) },
            new Dictionary<string, (string, string)> { ["price"] = ("Number.float", "4563442423554324324264524243.32543234"), ["label"] = ("String.custom", "x") },
            new Dictionary<string, (string, string)> { ["unicode"] = ("String", "é 𝄞 😀 & + % = \" \\ \n"), ["Upper"] = ("String", "sorted before lower case"), ["_under"] = ("String", "u") },
            new Dictionary<string, (string, string)> { ["a.b-c_d"] = ("Binary", Convert.ToBase64String("Hello binary world!"u8.ToArray())), ["z"] = ("Number", "-0.5e10") },
        ];

        var moto = await MotoSqs.DigestsAsync(sets);

        var ours = sets.Select(set => SqsMessageDigest.OfMessageAttributes(set.Select(a => Attribute(a.Key, a.Value.DataType, a.Value.Value)))).ToList();
        Assert.Equal<IEnumerable<string?>>(moto, ours);
        Assert.Equal("235c5c510d26fb653d073faed50ae77c", moto[0]);
    }
}
