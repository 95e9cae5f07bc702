using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Reads the connection id out of an <c>@connections</c> request target, with or without a stage
/// prefix: <c>/@connections/{id}</c> or <c>/{stage}/@connections/{id}</c>.
/// </summary>
/// <remarks>
/// The id is taken from the raw target and url-decoded here because ids are base64: an id
/// containing <c>/</c> arrives as <c>%2F</c>, which the server leaves encoded in the decoded path.
/// <c>+</c> in a path is a plus sign, never a space.
/// </remarks>
internal static class ManagementRequestTarget
{
    public const string Segment = "@connections";

    public static bool TryGetConnectionId(string rawTarget, [NotNullWhen(true)] out string? connectionId)
    {
        connectionId = null;
        var queryStart = rawTarget.IndexOfAny(['?', '#']);
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var segments = path.Split('/');
        var idIndex = segments switch
        {
            ["", Segment, _] => 2,
            ["", _, Segment, _] => 3,
            _ => -1,
        };
        if (idIndex < 0 || segments[idIndex].Length == 0)
        {
            return false;
        }

        connectionId = Uri.UnescapeDataString(segments[idIndex]);
        return true;
    }

    /// <summary>Whether a client at <paramref name="remoteAddress"/> may use the management API: anyone when
    /// <see cref="ApiGatewayOptions.RestrictManagementToLoopback"/> is off, else as <see cref="LoopbackCallers.IsAllowed"/>.</summary>
    public static bool IsClientAllowed(IPAddress? remoteAddress, ApiGatewayOptions options) =>
        !options.RestrictManagementToLoopback || LoopbackCallers.IsAllowed(remoteAddress);
}
