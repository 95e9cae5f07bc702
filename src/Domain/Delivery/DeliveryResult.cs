namespace SocketRelay.Domain.Delivery;

/// <summary>A <see cref="DeliveryOutcome"/> and, for failures, what went wrong.</summary>
public readonly record struct DeliveryResult(DeliveryOutcome Outcome, string? Detail = null)
{
    public static DeliveryResult Delivered { get; } = new(DeliveryOutcome.Delivered);

    public static DeliveryResult Gone { get; } = new(DeliveryOutcome.Gone);

    /// <summary>True when the message is done: delivered, or its client has left.</summary>
    public bool IsDone => Outcome is DeliveryOutcome.Delivered or DeliveryOutcome.Gone;

    public static DeliveryResult Transient(string detail) => new(DeliveryOutcome.FailedTransient, detail);

    public static DeliveryResult Permanent(string detail) => new(DeliveryOutcome.FailedPermanent, detail);
}
