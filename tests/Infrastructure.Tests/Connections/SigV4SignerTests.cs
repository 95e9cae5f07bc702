using System.Globalization;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using SocketRelay.Infrastructure.Connections;

namespace SocketRelay.Infrastructure.Tests.Connections;

/// <summary>
/// AWS's published SigV4 test suite (aws-sig-v4-test-suite, as kept in awslabs/aws-c-auth under
/// tests/aws-signing-test-suite/v4): credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service".
/// </summary>
public class SigV4SignerTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string StsToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Fact]
    public async Task Get_vanilla_matches_the_published_canonical_request_and_authorization()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        await SignAsync(request, new ImmutableCredentials(AccessKey, SecretKey, null));

        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyPayloadHash,
            await CanonicalRequestOfAsync(request));
        Assert.Equal("20150830T123600Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            AuthorizationOf(request));
        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task Post_vanilla_matches_the_published_canonical_request_and_authorization()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");

        await SignAsync(request, new ImmutableCredentials(AccessKey, SecretKey, null));

        Assert.Equal(
            "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyPayloadHash,
            await CanonicalRequestOfAsync(request));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            AuthorizationOf(request));
    }

    [Fact]
    public async Task Post_sts_header_before_sends_and_signs_the_session_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");

        await SignAsync(request, new ImmutableCredentials(AccessKey, SecretKey, StsToken));

        Assert.Equal(StsToken, Assert.Single(request.Headers.GetValues("X-Amz-Security-Token")));
        Assert.Equal(
            "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" + StsToken +
            "\n\nhost;x-amz-date;x-amz-security-token\n" + EmptyPayloadHash,
            await CanonicalRequestOfAsync(request));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, " +
            "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
            AuthorizationOf(request));
    }

    [Fact]
    public async Task Get_vanilla_query_order_key_case_sorts_the_query_parameters()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/?Param2=value2&Param1=value1");

        await SignAsync(request, new ImmutableCredentials(AccessKey, SecretKey, null));

        Assert.Equal(
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyPayloadHash,
            await CanonicalRequestOfAsync(request));
        Assert.EndsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", AuthorizationOf(request), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_path_is_encoded_once_more_than_on_the_wire_and_the_payload_is_hashed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/prod/@connections/" + Uri.EscapeDataString("a=+/b"))
        {
            Content = new ByteArrayContent("hello"u8.ToArray()),
        };

        await SignAsync(request, new ImmutableCredentials(AccessKey, SecretKey, null));

        var lines = (await CanonicalRequestOfAsync(request)).Split('\n');
        Assert.Equal("/prod/%40connections/a%253D%252B%252Fb", lines[1]);
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", lines[^1]);
    }

    [Fact]
    public async Task Signing_again_replaces_the_earlier_signature_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        var clock = new FakeTimeProvider(SuiteTime);
        var signer = new SigV4Signer(new StaticAwsCredentialsProvider(new ImmutableCredentials(AccessKey, SecretKey, StsToken)), clock);
        await signer.SignAsync(request, "us-east-1", "service", CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(1));
        await signer.SignAsync(request, "us-east-1", "service", CancellationToken.None);

        Assert.Equal("20150830T123700Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        Assert.Single(request.Headers.GetValues("X-Amz-Security-Token"));
        Assert.Single(request.Headers.GetValues("Authorization"));
    }

    [Fact]
    public async Task A_signer_that_keeps_its_key_signs_each_day_and_each_new_secret_as_AWSSDK_does()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2015, 8, 30, 23, 59, 59, TimeSpan.Zero));
        var credentials = new ImmutableCredentials(AccessKey, SecretKey, StsToken);
        var provider = Substitute.For<IAwsCredentialsProvider>();
        provider.GetCredentialsAsync(Arg.Any<CancellationToken>()).Returns(_ => ValueTask.FromResult(credentials));
        var signer = new SigV4Signer(provider, clock);

        async Task AssertSignedAsAwsSdkSigns(string expectedDate)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/prod/@connections/abc%3D")
            {
                Content = new ByteArrayContent("{\"message\":\"hi\"}"u8.ToArray()),
            };
            await signer.SignAsync(request, "us-east-1", "execute-api", CancellationToken.None);
            var signedAt = DateTime.ParseExact(
                Assert.Single(request.Headers.GetValues("X-Amz-Date")), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            var headers = SigV4Signer.HeadersToSign(request.Headers);
            var expected = Amazon.Runtime.Internal.Auth.AWS4Signer.ComputeSignature(
                credentials, "us-east-1", signedAt, "execute-api", SigV4CanonicalRequest.SignedHeaders(headers), await CanonicalRequestOfAsync(request));
            Assert.Equal(expected.ForAuthorizationHeader, AuthorizationOf(request));
            Assert.Contains($"/{expectedDate}/us-east-1/execute-api/aws4_request,", AuthorizationOf(request), StringComparison.Ordinal);
        }

        await AssertSignedAsAwsSdkSigns("20150830");
        clock.Advance(TimeSpan.FromSeconds(2));
        await AssertSignedAsAwsSdkSigns("20150831");
        credentials = new ImmutableCredentials("AKIDROTATED", "a-rotated-secret-of-the-same-day", StsToken);
        await AssertSignedAsAwsSdkSigns("20150831");
    }

    [Fact]
    public void Header_values_are_trimmed_and_inner_spaces_collapsed_as_in_the_published_get_header_value_trim_case()
    {
        // aws-sig-v4-test-suite/get-header-value-trim, with its headers given out of order.
        var canonical = SigV4CanonicalRequest.Build(
            "get",
            new Uri("https://example.amazonaws.com/"),
            [new("x-amz-date", "20150830T123600Z"), new("my-header2", "\"a   b   c\""), new("host", "example.amazonaws.com"), new("my-header1", " value1")],
            EmptyPayloadHash);

        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\n" +
            "host;my-header1;my-header2;x-amz-date\n" + EmptyPayloadHash,
            canonical);
    }

    [Theory]
    [InlineData("/\u1234", "/%E1%88%B4")] // aws-sig-v4-test-suite/get-utf8
    [InlineData("/prod/@connections/a%2Bb", "/prod/%40connections/a%252Bb")]
    [InlineData("/unreserved-_.~AZaz09/", "/unreserved-_.~AZaz09/")]
    [InlineData("", "/")]
    public void The_canonical_path_encodes_each_segment_once_more_over_UTF8(string wirePath, string expected) =>
        Assert.Equal(expected, SigV4CanonicalRequest.CanonicalPath(wirePath));

    private static async Task SignAsync(HttpRequestMessage request, ImmutableCredentials credentials)
    {
        var signer = new SigV4Signer(new StaticAwsCredentialsProvider(credentials), new FakeTimeProvider(SuiteTime));
        await signer.SignAsync(request, "us-east-1", "service", CancellationToken.None);
    }

    private static string AuthorizationOf(HttpRequestMessage request) => Assert.Single(request.Headers.GetValues("Authorization"));

    private static async Task<string> CanonicalRequestOfAsync(HttpRequestMessage request)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        return SigV4CanonicalRequest.Build(
            request.Method.Method, request.RequestUri!, SigV4Signer.HeadersToSign(request.Headers), SigV4CanonicalRequest.HashPayload(body));
    }
}
