using Terminal.Core.Ports;

namespace Terminal.Simulator.Devices;

/// <summary>
/// The terminal's Wi-Fi as a shop has it: a share of the exchanges with the gateway is lost, half before the request
/// leaves (no connection: the gateway never saw it) and half after the gateway answered (the answer is lost on the way
/// back: the gateway acted, the terminal cannot know). The second half is the one that matters for money: the firmware
/// must inquire, never resend blindly and never call it a failure (docs/antom-protocol.md 4.1).
/// </summary>
public sealed class DroppingNetwork(IHttpExchange inner, double rate, int seed) : IHttpExchange
{
    private readonly Random _random = new(seed);
    private readonly Lock _sync = new();
    private int _droppedBefore;
    private int _droppedAfter;

    /// <summary>Exchanges that never left (ConnectFailed).</summary>
    public int DroppedBefore => Volatile.Read(ref _droppedBefore);

    /// <summary>Exchanges the gateway handled whose answer was lost (ResponseBroken).</summary>
    public int DroppedAfter => Volatile.Read(ref _droppedAfter);

    public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
    {
        double draw;
        lock (_sync)
        {
            draw = _random.NextDouble();
        }

        if (draw < rate / 2)
        {
            Interlocked.Increment(ref _droppedBefore);
            return HttpExchangeStatus.ConnectFailed;
        }

        HttpExchangeStatus status = inner.Send(exchange, timeoutMs);
        if (status == HttpExchangeStatus.Completed && draw < rate)
        {
            Interlocked.Increment(ref _droppedAfter);
            return HttpExchangeStatus.ResponseBroken;
        }

        return status;
    }
}
