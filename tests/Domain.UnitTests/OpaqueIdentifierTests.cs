using SocketRelay.Domain;
using SocketRelay.Domain.Identifiers;

namespace SocketRelay.Domain.UnitTests;

public class OpaqueIdentifierTests
{
    [Theory]
    [InlineData("L0SM9cOFvHcCIhw=")]
    [InlineData("059f36b4-87a3-44ab-83d2-661975830a7d")]
    [InlineData("a+b/c=")]
    public void Ids_from_aws_are_accepted_as_they_are(string value)
    {
        Assert.Equal(value, ConnectionId.Create(value).Value);
        Assert.Equal(value, RequestId.Create(value).Value);
        Assert.Equal(value, MessageId.Create(value).Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("line\nbreak")]
    [InlineData("ünïcode")]
    public void Empty_or_non_printable_ids_are_rejected_with_their_field_name(string? value)
    {
        Assert.Equal("connectionId", Assert.Throws<DomainValidationException>(() => ConnectionId.Create(value)).Field);
        Assert.Equal("requestId", Assert.Throws<DomainValidationException>(() => RequestId.Create(value)).Field);
        Assert.Equal("messageId", Assert.Throws<DomainValidationException>(() => MessageId.Create(value)).Field);
    }

    [Fact]
    public void Ids_longer_than_256_characters_are_rejected()
    {
        Assert.True(ConnectionId.TryCreate(new string('c', 256), out _, out _));
        Assert.False(ConnectionId.TryCreate(new string('c', 257), out _, out var reason));
        Assert.Equal("must be at most 256 characters long (was 257)", reason);
    }
}
