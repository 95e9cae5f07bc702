using SocketRelay.Domain;
using SocketRelay.Domain.Identifiers;

namespace SocketRelay.Domain.UnitTests;

public class MessageGroupIdTests
{
    private const string SqsPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    [Theory]
    [InlineData("test")]
    [InlineData("a")]
    [InlineData("L0SM9cOFvHcCIhw=")]
    [InlineData(SqsPunctuation)]
    [InlineData("abcXYZ0189")]
    public void Accepts_alphanumerics_and_every_punctuation_character_sqs_allows(string value)
    {
        Assert.Equal(value, MessageGroupId.Create(value).Value);
    }

    [Fact]
    public void Accepts_exactly_128_characters()
    {
        var value = new string('g', MessageGroupId.MaxLength);
        Assert.Equal(value, MessageGroupId.Create(value).Value);
    }

    [Fact]
    public void Every_printable_ascii_character_but_space_is_allowed_and_nothing_else()
    {
        for (var c = '\0'; c < 256; c++)
        {
            var expected = char.IsAsciiLetterOrDigit(c) || SqsPunctuation.Contains(c, StringComparison.Ordinal);
            Assert.True(expected == MessageGroupId.TryCreate(c.ToString(), out _, out _), $"U+{(int)c:X4}");
        }
    }

    [Theory]
    [InlineData(null, "must be a string")]
    [InlineData("", "must be 1 to 128 characters long (was 0)")]
    [InlineData("has space", "character at position 3 is not allowed")]
    [InlineData("tab\t", "character at position 3 is not allowed")]
    [InlineData("café", "character at position 3 is not allowed")]
    [InlineData("emoji😀", "character at position 5 is not allowed")]
    public void Rejects_invalid_values_with_a_typed_error_naming_the_field_and_the_problem(string? value, string reason)
    {
        var error = Assert.Throws<DomainValidationException>(() => MessageGroupId.Create(value));

        Assert.Equal("MessageGroupId", error.Field);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
        Assert.False(MessageGroupId.TryCreate(value, out _, out var tryReason));
        Assert.Equal(error.Reason, tryReason);
    }

    [Fact]
    public void Rejects_129_characters()
    {
        var error = Assert.Throws<DomainValidationException>(() => MessageGroupId.Create(new string('g', 129)));
        Assert.Equal("must be 1 to 128 characters long (was 129)", error.Reason);
    }

    [Fact]
    public void Equal_values_are_equal_ids()
    {
        Assert.Equal(MessageGroupId.Create("g"), MessageGroupId.Create("g"));
        Assert.NotEqual(MessageGroupId.Create("g"), MessageGroupId.Create("G"));
    }
}
