namespace Terminal.Simulator.Updates;

/// <summary>
/// Reads one device's state in one rollout at the gateway every few milliseconds and keeps each change, so that a
/// run can show (and a test assert) the whole path: pending, offered, downloading, staged, trial, healthy.
/// </summary>
public sealed class RolloutWatch : IAsyncDisposable
{
    private readonly GatewayRollouts _gateway;
    private readonly long _rollout;
    private readonly string _deviceId;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<DeviceUpdateState> _changes = new();
    private readonly Task _loop;

    public RolloutWatch(GatewayRollouts gateway, long rollout, string deviceId, int everyMs = 20)
    {
        _gateway = gateway;
        _rollout = rollout;
        _deviceId = deviceId;
        _loop = Task.Run(() => LoopAsync(everyMs));
    }

    /// <summary>The states seen, each once per change (bytes aside).</summary>
    public string[] States()
    {
        lock (_changes)
        {
            return _changes.Select(c => c.State).ToArray();
        }
    }

    public DeviceUpdateState? Last
    {
        get
        {
            lock (_changes)
            {
                return _changes.Count == 0 ? null : _changes[^1];
            }
        }
    }

    /// <summary>Waits until the gateway records <paramref name="state"/>; false on timeout.</summary>
    public bool WaitFor(string state, int timeoutMs) => SpinWait.SpinUntil(() => Last?.State == state, timeoutMs);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(int everyMs)
    {
        while (!_stop.IsCancellationRequested)
        {
            DeviceUpdateState? now = await _gateway.DeviceStateAsync(_rollout, _deviceId);
            if (now != null)
            {
                lock (_changes)
                {
                    if (_changes.Count == 0 || _changes[^1].State != now.State)
                    {
                        _changes.Add(now);
                    }
                    else
                    {
                        _changes[^1] = now;
                    }
                }
            }

            await Task.Delay(everyMs, _stop.Token);
        }
    }
}
