namespace SocketRelay.LocalGateway.Queue;

/// <summary>The queue's data directory cannot be used: it is locked by another process, or its database is unreadable.</summary>
public sealed class QueueStoreException : Exception
{
    public QueueStoreException()
    {
    }

    public QueueStoreException(string message)
        : base(message)
    {
    }

    public QueueStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
