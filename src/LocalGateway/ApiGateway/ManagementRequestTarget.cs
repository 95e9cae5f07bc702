using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace SocketRelay.LocalGateway.ApiGateway;

/// <summary>
/// Reads an <c>@connections</c> request target: the only one API Gateway routes is
/// <c>/{stage}/@connections/{id}</c>, with this gateway's stage; any other path that names
/// <c>@connections</c> (no stage, another stage, an empty id, an id with a raw <c>/</c>) is refused
/// with 403 <c>ForbiddenException</c>, as API Gateway refuses it.
/// </summary>
/// <remarks>
/// The id is taken from the raw target and url-decoded here because ids are base64: an id
/// containing <c>/</c> arrives as <c>%2F</c>, which the server leaves encoded in the decoded path.
/// <c>+</c> in a path is a plus sign, never a space.
/// </remarks>
internal static class ManagementRequestTarget
{
    public const string Segment = "@connections";

    /// <summary>True when the raw path has an <c>@connections</c> segment: a request meant for the management API.</summary>
    public static bool NamesConnectionsApi(string rawTarget) => Split(rawTarget).Path.Split('/').Contains(Segment, StringComparer.Ordinal);

    /// <summary>
    /// The url-decoded connection id of <c>/{stage}/@connections/{id}</c>, and the raw path and query the
    /// request was signed over; false for any other path.
    /// </summary>
    public static bool TryGetConnectionId(string rawTarget, string stage, [NotNullWhen(true)] out string? connectionId, out string path, out string query)
    {
        connectionId = null;
        (path, query) = Split(rawTarget);
        if (path.Split('/') is not ["", var pathStage, Segment, var encodedId] || pathStage != stage || encodedId.Length == 0)
        {
            return false;
        }

        connectionId = Uri.UnescapeDataString(encodedId);
        return true;
    }

    /// <summary>Whether a client at <paramref name="remoteAddress"/> may use the management API: anyone when
    /// <see cref="ApiGatewayOptions.RestrictManagementToLoopback"/> is off, else as <see cref="LoopbackCallers.IsAllowed"/>
    /// with <see cref="ApiGatewayOptions.BoundAddress"/> (callers on this machine).</summary>
    public static bool IsClientAllowed(IPAddress? remoteAddress, ApiGatewayOptions options) =>
        !options.RestrictManagementToLoopback || LoopbackCallers.IsAllowed(remoteAddress, options.BoundAddress);

    private static (string Path, string Query) Split(string rawTarget)
    {
        var fragment = rawTarget.IndexOf('#', StringComparison.Ordinal);
        var target = fragment < 0 ? rawTarget : rawTarget[..fragment];
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        return queryStart < 0 ? (target, "") : (target[..queryStart], target[(queryStart + 1)..]);
    }
}
