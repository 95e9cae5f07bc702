using SocketRelay.Deployment.Tests.Vtl;

namespace SocketRelay.Deployment.Tests.MappingTemplate;

/// <summary>
/// The renderer's <c>$util.urlEncode</c> must be java.net.URLEncoder.encode(s, "UTF-8"), the
/// function API Gateway runs, not JavaScript's encodeURIComponent: the expected values are Java's.
/// </summary>
public sealed class JavaUrlEncodingTests
{
    [Fact]
    public async Task UrlEncode_EncodesLikeJavaUrlEncoder()
    {
        (string Text, string Encoded)[] cases =
        [
            ("AZaz09", "AZaz09"),
            ("*-._", "*-._"),
            ("a b", "a+b"),
            ("~!'()", "%7E%21%27%28%29"),
            ("&=+%", "%26%3D%2B%25"),
            ("/?#:@", "%2F%3F%23%3A%40"),
            ("\n\t\"\\", "%0A%09%22%5C"),
            ("é", "%C3%A9"),
            ("日", "%E6%97%A5"),
            ("😀", "%F0%9F%98%80"),
        ];
        var requests = cases
            .Select(c => new GatewayRequest(CompactJsonString(c.Text), new GatewayContext("c", "r")))
            .ToList();

        var rendered = await VtlRenderer.RenderAsync("$util.urlEncode($input.path('$.s'))", requests);

        Assert.Equal(cases.Select(c => c.Encoded), rendered);
    }

    private static string CompactJsonString(string text) =>
        new System.Text.Json.Nodes.JsonObject { ["s"] = text }.ToJsonString();
}
