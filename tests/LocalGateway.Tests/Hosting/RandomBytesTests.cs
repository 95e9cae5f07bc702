namespace SocketRelay.LocalGateway.Tests.Hosting;

/// <summary>The buffered random bytes behind the gateway's ids: never handed out twice, on any thread, across refills.</summary>
public sealed class RandomBytesTests
{
    [Fact]
    public void Ids_drawn_across_many_buffer_refills_and_threads_are_all_different()
    {
        // 8 threads × 2,000 ids of 16 bytes: each thread refills its 4 KB buffer about eight times.
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                ids.Add(RandomBytes.NewGuid().ToString());
            }
        });

        Assert.Equal(16_000, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_new_guid_is_a_random_uuid_as_rfc_9562_lays_it_out()
    {
        for (var i = 0; i < 1_000; i++)
        {
            var text = RandomBytes.NewGuid().ToString();

            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", text);
        }
    }

    [Fact]
    public void Fills_that_straddle_a_refill_and_fills_larger_than_the_buffer_get_fresh_bytes()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var length in new[] { 4_000, 200, 4_096, 10_000, 7 })
        {
            var bytes = new byte[length];
            RandomBytes.Fill(bytes);

            // 7 bytes of zeros (or repeated blocks) would show as duplicates of 7-byte windows across fills.
            Assert.True(seen.Add(Convert.ToHexString(bytes.AsSpan(0, 7))));
            Assert.Contains(bytes, b => b != 0);
        }
    }
}
