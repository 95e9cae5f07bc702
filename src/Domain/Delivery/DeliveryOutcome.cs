namespace SocketRelay.Domain.Delivery;

/// <summary>What became of one attempt to post a reply to a connection.</summary>
public enum DeliveryOutcome
{
    /// <summary>The connection received the reply (HTTP 200).</summary>
    Delivered,

    /// <summary>The client has left (HTTP 410). The message is done: there is nobody to answer.</summary>
    Gone,

    /// <summary>Worth retrying: throttling (429), server errors (5xx), time-outs, connection errors.</summary>
    FailedTransient,

    /// <summary>Retrying the same request cannot help: 403 (misconfiguration), 413 (payload too large), other 4xx.</summary>
    FailedPermanent,
}
