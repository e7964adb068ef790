using System.Collections.Concurrent;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// In-process wake-up for replays waiting on a request still in flight: the request (or the resolver) that completes
/// a record signals its replay key, and a copy waiting in this process is answered at once. Copies waiting on another
/// instance's record poll the database with backoff (<see cref="AntomRelayEndpoint"/>). Entries exist only while
/// someone waits.
/// </summary>
public sealed class ReplayWaiters
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    /// <summary>A task that completes when <see cref="Completed"/> is called for <paramref name="replayKey"/>.</summary>
    public Task WhenCompleted(string replayKey) =>
        _waiting.GetOrAdd(replayKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Completed(string replayKey)
    {
        if (_waiting.TryRemove(replayKey, out var signal)) signal.TrySetResult();
    }

    /// <summary>Drops the entry of a waiter that gave up (if nobody completed it meanwhile).</summary>
    public void GiveUp(string replayKey, Task signal)
    {
        if (_waiting.TryGetValue(replayKey, out var current) && current.Task == signal)
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource>(replayKey, current));
    }
}
