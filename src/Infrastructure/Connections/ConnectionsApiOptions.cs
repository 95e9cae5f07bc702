using SocketRelay.Application.Configuration;

namespace SocketRelay.Infrastructure.Connections;

/// <summary>Where the <c>@connections</c> management API is and how requests to it are signed.</summary>
public sealed class ConnectionsApiOptions
{
    /// <summary>
    /// The WebSocket API's management endpoint including its stage, e.g.
    /// <c>https://{api-id}.execute-api.{region}.amazonaws.com/{stage}</c>. Any http(s) URL works, which is
    /// how the local gateway and the tests are reached; the path is kept and <c>/@connections/{id}</c> appended.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The AWS region of the API (e.g. <c>us-east-1</c>): part of the SigV4 credential scope.</summary>
    public string? Region { get; set; }

    /// <summary>Every setting that cannot work, by property name, with how to fix it.</summary>
    public IEnumerable<OptionProblem> Problems()
    {
        if (Endpoint is null)
        {
            yield return new(nameof(Endpoint), "is required: the WebSocket API's management endpoint with its stage, e.g. https://{api-id}.execute-api.{region}.amazonaws.com/{stage}");
        }
        else if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttps && Endpoint.Scheme != Uri.UriSchemeHttp))
        {
            yield return new(nameof(Endpoint), $"must be an absolute http or https URL (was '{Endpoint.OriginalString}')");
        }
        else if (Endpoint.Query.Length > 0 || Endpoint.Fragment.Length > 0 || Endpoint.UserInfo.Length > 0)
        {
            yield return new(nameof(Endpoint), $"must be scheme, host and stage path only, without query, fragment or user info (was '{Endpoint.OriginalString}')");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            yield return new(nameof(Region), "is required to sign requests: the API's AWS region, e.g. us-east-1 (inside Lambda: AWS_REGION)");
        }
        else if (Region.Any(c => c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')))
        {
            yield return new(nameof(Region), $"must be an AWS region name such as us-east-1 (was '{Region}')");
        }
    }

    /// <exception cref="InvalidOptionsException">Any of <see cref="Problems"/>, all listed.</exception>
    public void Validate() => InvalidOptionsException.ThrowIfAny(nameof(ConnectionsApiOptions), Problems());
}
