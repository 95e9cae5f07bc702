using System.Text;
using SocketRelay.LocalGateway.ApiGateway;

namespace SocketRelay.LocalGateway.Tests.ApiGateway;

public sealed class CompactJsonTests
{
    [Theory]
    [InlineData("""{"MessageGroupId": "test", "data": "hello world"}""", """{"MessageGroupId":"test","data":"hello world"}""")]
    [InlineData(" \t\r\n{ \"a\" : [ 1 , 2 , { } , [ ] ] , \"b\" : { \"c\" : null } } \n", """{"a":[1,2,{},[]],"b":{"c":null}}""")]
    [InlineData("""{"b":1,"a":2,"b":3}""", """{"b":1,"a":2,"b":3}""")]
    [InlineData("""[true, false, null]""", """[true,false,null]""")]
    [InlineData("""{"n":[1.50, -0, 1E+2, 1e-7, 12345678901234567890123]}""", """{"n":[1.50,-0,1E+2,1e-7,12345678901234567890123]}""")]
    [InlineData("\"text\"", "\"text\"")]
    [InlineData("42", "42")]
    public void Removes_insignificant_whitespace_and_keeps_order_duplicates_and_number_text(string input, string expected) =>
        Assert.Equal(expected, Minify(input));

    [Theory]
    [InlineData("""["\"", "\\", "\/"]""", """["\"","\\","/"]""")]
    [InlineData("""["\b\f\n\r\t"]""", """["\b\f\n\r\t"]""")]
    [InlineData("""["\u0008\u000C\u000a\u000D\u0009"]""", """["\b\f\n\r\t"]""")]
    [InlineData("""["\u0000\u0001\u001F\u001f"]""", """["\u0000\u0001\u001f\u001f"]""")]
    [InlineData("""["\u0022\u005C\u002F"]""", """["\"\\/"]""")]
    [InlineData("""["\u00e9\u00E9é"]""", """["ééé"]""")]
    [InlineData("""["\ud834\udd1e\uD834\uDD1E𝄞"]""", """["𝄞𝄞𝄞"]""")]
    [InlineData("""["\uD800", "\uDFFF", "a\uDC00b", "\uDBFF\u0041"]""", """["\ud800","\udfff","a\udc00b","\udbffA"]""")]
    [InlineData("""["\u0026\u002B\u0025\u003D\u003C\u003E\u0027", "& + % = < > '"]""", """["&+%=<>'","& + % = < > '"]""")]
    [InlineData("""["\u007F\u2028\u2029\uFEFF"]""", "[\"\u007F\u2028\u2029\uFEFF\"]")]
    [InlineData("""["%2B", "\u0025\u0032\u0042"]""", """["%2B","%2B"]""")]
    [InlineData("""{"na\u006De\n":"v"}""", """{"name\n":"v"}""")]
    public void Re_encodes_strings_with_the_minimal_escaping_of_JSON_stringify(string input, string expected) =>
        Assert.Equal(expected, Minify(input));

    [Fact]
    public void Writes_non_ASCII_and_astral_characters_as_raw_UTF8_bytes()
    {
        var compact = Minify("""{ "m": "\u00e9 \ud834\udd1e" }"""u8);

        Assert.Equal("{\"m\":\"é 𝄞\"}"u8.ToArray(), Encoding.UTF8.GetBytes(compact));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"a":1""")]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{"a":1} {"b":2}""")]
    [InlineData("""{"a":1} x""")]
    [InlineData("""{'a':1}""")]
    [InlineData("""{"a":01}""")]
    [InlineData("""{"a":"\x"}""")]
    [InlineData("""{"a":"\u12"}""")]
    [InlineData("""{"a":1 /* comment */}""")]
    [InlineData("{\"a\":\"tab\tinside\"}")]
    [InlineData("""{"a":NaN}""")]
    [InlineData("\uFEFF{}")]
    public void Rejects_text_that_is_not_one_JSON_value(string input)
    {
        Assert.False(CompactJson.TryMinifyToUtf8(Encoding.UTF8.GetBytes(input), out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'"', 0xC3, (byte)'"' })]
    [InlineData(new byte[] { (byte)'"', 0xFF, (byte)'"' })]
    [InlineData(new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' })]
    [InlineData(new byte[] { (byte)'"', 0xC0, 0xAF, (byte)'"' })]
    public void Rejects_invalid_UTF8(byte[] input)
    {
        Assert.False(CompactJson.TryMinifyToUtf8(input, out _, out var error));
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_nesting_64_deep_and_rejects_65()
    {
        var deepest = new string('[', CompactJson.MaxDepth) + new string(']', CompactJson.MaxDepth);
        var tooDeep = "[" + deepest + "]";

        Assert.Equal(deepest, Minify(deepest));
        Assert.False(CompactJson.TryMinifyToUtf8(Encoding.UTF8.GetBytes(tooDeep), out _, out _));
    }

    [Fact]
    public void Never_produces_output_longer_than_the_input()
    {
        const string worstCase = """["\u0001\ud800\"\\",1,true]""";

        var compact = Minify(worstCase);

        Assert.Equal(worstCase, compact);
    }

    private static string Minify(string input) => Minify(Encoding.UTF8.GetBytes(input));

    private static string Minify(ReadOnlySpan<byte> utf8Json)
    {
        Assert.True(CompactJson.TryMinifyToUtf8(utf8Json, out var compact, out var error), error);
        return Encoding.UTF8.GetString(compact.Span);
    }
}
