namespace SocketRelay.LocalGateway.Queue;

/// <summary>
/// Holds <c>queue.db.lock</c> open without sharing for the lifetime of the queue, so a second
/// gateway cannot open the same data directory. The operating system drops the lock when the
/// holder dies, even by <c>kill -9</c>, so a stale lock file never blocks a restart.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _lockFile;

    private DataDirectoryLock(FileStream lockFile) => _lockFile = lockFile;

    public static DataDirectoryLock Acquire(string databasePath)
    {
        var lockPath = databasePath + ".lock";
        try
        {
            return new DataDirectoryLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new QueueStoreException(
                $"The queue database '{databasePath}' is in use by another process (lock file '{lockPath}'). " +
                "Stop the other gateway or give this one another data directory.",
                ex);
        }
    }

    public void Dispose() => _lockFile.Dispose();
}
