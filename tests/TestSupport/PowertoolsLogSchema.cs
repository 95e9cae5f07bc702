using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace SocketRelay.TestSupport;

/// <summary>
/// The function's log schema as every test that captures the function's standard output checks it:
/// each line is one JSON object, and every key in it, nested ones included, matches
/// <c>^[a-z0-9_]+$</c> (snake_case, as Powertools for AWS Lambda writes keys) and appears once in
/// its object. Shared by every test project that captures function output.
/// </summary>
public static partial class PowertoolsLogSchema
{
    /// <summary>Parses every non-blank line of <paramref name="output"/>, asserts the schema on each and returns them.</summary>
    public static IReadOnlyList<JsonElement> AssertLines(string output) => AssertLines(output.Split('\n'));

    /// <summary>As <see cref="AssertLines(string)"/>, for output already split into lines.</summary>
    public static IReadOnlyList<JsonElement> AssertLines(IEnumerable<string> lines)
    {
        var parsed = new List<JsonElement>();
        foreach (var line in lines.Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0))
        {
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw Xunit.Sdk.FailException.ForFailure($"Function output line is not one JSON object ({ex.Message}): {line}");
            }

            Assert.True(root.ValueKind == JsonValueKind.Object, $"Function output line is not a JSON object: {line}");
            AssertKeys(root, "$", line);
            parsed.Add(root);
        }

        return parsed;
    }

    /// <summary>Asserts the key rule on <paramref name="element"/> and everything nested in it.</summary>
    public static void AssertKeys(JsonElement element) => AssertKeys(element, "$", element.GetRawText());

    private static void AssertKeys(JsonElement element, string path, string line)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    Assert.True(KeyPattern().IsMatch(member.Name), $"Key '{member.Name}' at {path} is not snake_case (^[a-z0-9_]+$) in: {line}");
                    Assert.True(seen.Add(member.Name), $"Key '{member.Name}' appears twice at {path} in: {line}");
                    AssertKeys(member.Value, $"{path}.{member.Name}", line);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    AssertKeys(item, $"{path}[{index++}]", line);
                }

                break;
        }
    }

    [GeneratedRegex("^[a-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
