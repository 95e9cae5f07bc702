namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>Makes connection and request ids.</summary>
internal interface IGatewayIdGenerator
{
    string NewId();
}

/// <summary>
/// Ids shaped like API Gateway's (<c>L0SM9cOFvHcCIhw=</c>): base64 of CSPRNG bytes. Twelve bytes
/// give 96 bits, so ids are unguessable and never collide in practice. They can contain
/// <c>+</c> and <c>/</c>, which is why clients url-encode them in <c>@connections</c> paths.
/// </summary>
internal sealed class RandomGatewayIdGenerator : IGatewayIdGenerator
{
    public const int RandomBytes = 12;

    public string NewId()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        LocalGateway.RandomBytes.Fill(bytes);
        return Convert.ToBase64String(bytes);
    }
}
