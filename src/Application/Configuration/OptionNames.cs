namespace SocketRelay.Application.Configuration;

/// <summary>What a mistyped setting name was meant to be, for a "did you mean …?" in its <see cref="OptionProblem"/>.</summary>
public static class OptionNames
{
    /// <summary>
    /// The one candidate nearest to <paramref name="typed"/>, ignoring case, if it is within two edits (a
    /// character left out, added, changed, or two neighbours swapped count as one) and no other candidate is
    /// as near; otherwise null.
    /// </summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        var lower = typed.ToLowerInvariant();
        var nearest = candidates.Select(c => (Candidate: c, Distance: EditDistance(lower, c.ToLowerInvariant()))).Where(c => c.Distance <= 2)
            .GroupBy(c => c.Distance).OrderBy(g => g.Key).FirstOrDefault()?.ToList();
        return nearest is [var only] ? only.Candidate : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
