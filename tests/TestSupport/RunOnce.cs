namespace SocketRelay.TestSupport;

/// <summary>
/// An expensive step several tests need (publishing a binary, packaging a template) run once per
/// test run: the first caller runs it, concurrent callers wait for that result, and a failure is
/// not kept, so the next caller tries again.
/// </summary>
public sealed class RunOnce<T>(Func<Task<T>> step)
{
    private readonly Lock _lock = new();
    private Task<T>? _run;

    /// <summary>The step's result, running it if no earlier run succeeded or is still under way.</summary>
    public Task<T> GetAsync()
    {
        lock (_lock)
        {
            if (_run is null || _run.IsFaulted || _run.IsCanceled)
            {
                _run = step();
            }

            return _run;
        }
    }
}
