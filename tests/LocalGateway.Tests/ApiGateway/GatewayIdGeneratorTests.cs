using SocketRelay.LocalGateway.ApiGateway;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

public sealed class GatewayIdGeneratorTests
{
    private readonly RandomGatewayIdGenerator _generator = new();

    [Fact]
    public void Ids_carry_at_least_96_random_bits_in_base64()
    {
        var id = _generator.NewId();

        var bytes = Convert.FromBase64String(id);
        Assert.True(bytes.Length * 8 >= 96);
        Assert.Equal(16, id.Length);
    }

    [Fact]
    public void Ten_thousand_ids_are_distinct_and_use_only_the_base64_alphabet()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => _generator.NewId()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9+/]+={0,2}$", id));
        // 120,000 random base64 digits use the whole alphabet, including the characters that need url-encoding.
        Assert.Equal(64, ids.SelectMany(id => id).Distinct().Count());
    }
}
