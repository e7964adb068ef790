using Terminal.Core.Ports;
using Terminal.Drivers.Ports;
using Terminal.Io.Storage;
using Terminal.SimulatedDevices.Buzzer;
using Terminal.SimulatedDevices.Display;
using Terminal.SimulatedDevices.Keypad;

namespace Terminal.Simulator.Devices;

/// <summary>Thrown by every powered port once the simulated power has failed.</summary>
public sealed class PowerLostException : IOException
{
    public PowerLostException()
        : base("power lost")
    {
    }
}

/// <summary>
/// The supply of one firmware instance. A power cut stops every port at once: storage and HTTP throw (nothing more is
/// written or sent), sleeps end, serial writes and the display are dropped. The firmware's threads then unwind through
/// their own error handling and are stopped; what storage holds is exactly what was written before the cut, as after a
/// real power failure. A cut rail never comes back: the next boot gets a rail of its own, so a thread of the cut
/// instance that had not yet noticed the cut (a loaded machine) stays without power instead of acting beside the new
/// instance. The ports it still calls after that boot are counted (<see cref="UsedAfterNextBoot"/>).
/// </summary>
public sealed class PowerRail
{
    private volatile bool _on = true;
    private volatile bool _superseded;
    private int _usesAfterNextBoot;
    private readonly List<Action> _onCut = new();

    public bool On
    {
        get
        {
            if (!_on && _superseded)
            {
                Interlocked.Increment(ref _usesAfterNextBoot);
            }

            return _on;
        }
    }

    /// <summary>Whether the instance on this rail called a port after the next instance had booted.</summary>
    public bool UsedAfterNextBoot => Volatile.Read(ref _usesAfterNextBoot) > 0;

    /// <summary>Registers something to stop at the cut (e.g. wake a sleeping worker).</summary>
    public void WhenCut(Action action)
    {
        lock (_onCut)
        {
            _onCut.Add(action);
        }
    }

    public void Cut()
    {
        _on = false;
        lock (_onCut)
        {
            foreach (Action a in _onCut)
            {
                a();
            }
        }
    }

    /// <summary>The next instance boots on its own rail: from now on every use of this one is counted.</summary>
    public void Supersede()
    {
        Cut();
        _superseded = true;
    }

    public void Check()
    {
        if (!On)
        {
            throw new PowerLostException();
        }
    }
}

/// <summary>Times every exchange, so figures can tell the network's and the services' share from the terminal's own work.</summary>
public sealed class TimedHttp(IHttpExchange inner) : IHttpExchange
{
    private long _ticks;

    /// <summary>Milliseconds spent inside exchanges since start.</summary>
    public double ElapsedMs => Interlocked.Read(ref _ticks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    /// <summary>Called on the firmware's thread before each exchange leaves (the chaos runs hold or cut an update's
    /// download range here; the exchange's <see cref="HttpExchange.Path"/> says what it is).</summary>
    public Action<HttpExchange>? BeforeSend { get; set; }

    public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
    {
        BeforeSend?.Invoke(exchange);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return inner.Send(exchange, timeoutMs);
        }
        finally
        {
            Interlocked.Add(ref _ticks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
    }
}

/// <summary>HTTP that dies with the power; an answer that arrives after the cut is lost.</summary>
public sealed class PoweredHttp(IHttpExchange inner, PowerRail rail) : IHttpExchange
{
    public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
    {
        rail.Check();
        HttpExchangeStatus status = inner.Send(exchange, timeoutMs);
        rail.Check();
        return status;
    }
}

/// <summary>
/// A folder of the update ports (boot record, staged versions) that dies with the power: every call after the cut
/// fails, and a file being written keeps only what reached the disk before it (a piece written but not closed may be
/// lost, as on flash). <paramref name="writing"/> hears each Create (with the file's name) and Write (null) first, so
/// that a run can cut the power at a chosen write.
/// </summary>
public sealed class PoweredFolder(IStorageFolder inner, PowerRail rail, Action<string?>? writing = null) : IStorageFolder
{
    public string[] List()
    {
        rail.Check();
        return inner.List();
    }

    public int OpenRead(string file)
    {
        rail.Check();
        return inner.OpenRead(file);
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        rail.Check();
        return inner.Read(buffer, offset, count);
    }

    public void CloseRead() => inner.CloseRead();

    public void Create(string file)
    {
        writing?.Invoke(file);
        rail.Check();
        inner.Create(file);
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        writing?.Invoke(null);
        rail.Check();
        inner.Write(buffer, offset, count);
    }

    public void CloseWrite()
    {
        rail.Check();
        inner.CloseWrite();
    }

    public void Delete(string file)
    {
        rail.Check();
        inner.Delete(file);
    }
}

/// <summary>Storage that refuses everything after the cut (a write in progress completes or not, never half).</summary>
public sealed class PoweredStorage(IDurableStorage inner, PowerRail rail) : IDurableStorage
{
    public int Read(string name, byte[] buffer, int offset, int count)
    {
        rail.Check();
        return inner.Read(name, buffer, offset, count);
    }

    public void Write(string name, byte[] buffer, int offset, int count)
    {
        rail.Check();
        inner.Write(name, buffer, offset, count);
    }

    public void Delete(string name)
    {
        rail.Check();
        inner.Delete(name);
    }
}

/// <summary>The worker's sleeps; the cut wakes a sleeping worker and every later sleep throws.</summary>
public sealed class PoweredSleeper : ISleeper
{
    private readonly ISleeper _inner;
    private readonly PowerRail _rail;

    public PoweredSleeper(ISleeper inner, PowerRail rail)
    {
        _inner = inner;
        _rail = rail;
        rail.WhenCut(inner.Wake);
    }

    public bool Sleep(int milliseconds)
    {
        _rail.Check();
        bool full = _inner.Sleep(milliseconds);
        _rail.Check();
        return full;
    }

    public void Wake() => _inner.Wake();
}

/// <summary>A UART whose far end stops hearing us at the cut; reads fail like a dead peripheral.</summary>
public sealed class PoweredSerialPort(ISerialPort inner, PowerRail rail) : ISerialPort
{
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (!rail.On)
        {
            Thread.Sleep(Math.Max(1, Math.Min(timeoutMs, 20)));
            return 0;
        }

        return inner.Read(buffer, offset, count, timeoutMs);
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        if (rail.On)
        {
            inner.Write(buffer, offset, count);
        }
    }
}

/// <summary>The OLED's I2C port, wired to its controller model; NACKed without power.</summary>
public sealed class PoweredI2cBus(OledModel oled, PowerRail rail) : II2cBus
{
    public bool Write(byte[] buffer, int offset, int count) => rail.On && oled.Write(buffer, offset, count);

    public bool Read(byte[] buffer, int offset, int count) => false;
}

/// <summary>The keypad's PCF8574 on the I2C bus: no acknowledge without power.</summary>
public sealed class PoweredExpanderBus(Pcf8574KeypadModel keypad, PowerRail rail) : II2cBus
{
    public bool Write(byte[] buffer, int offset, int count) => rail.On && keypad.Write(buffer, offset, count);

    public bool Read(byte[] buffer, int offset, int count) => rail.On && keypad.Read(buffer, offset, count);
}

/// <summary>The piezo's PWM: silent without power.</summary>
public sealed class PoweredTone(PiezoModel piezo, PowerRail rail) : IToneOutput
{
    public void Play(int frequencyHz, int dutyPercent)
    {
        if (rail.On)
        {
            piezo.Play(frequencyHz, dutyPercent);
        }
    }

    public void Silence() => piezo.Silence();
}

/// <summary>The colour TFT's SPI port with its D/CX line: writes fail while the power is off.</summary>
public sealed class PoweredSpiBus(TftModel tft, PowerRail rail) : ISpiDisplayBus
{
    public bool Write(byte[] buffer, int offset, int count, bool data) => rail.On && tft.Write(buffer, offset, count, data);
}

/// <summary>The firmware log; a dead CPU logs nothing.</summary>
public sealed class PoweredLog(ILog inner, PowerRail rail) : ILog
{
    public void Write(LogLevel level, string message)
    {
        if (rail.On)
        {
            inner.Write(level, message);
        }
    }
}

/// <summary>A GPIO output that stops driving at the cut (the pulse line: the optocoupler goes dark).</summary>
public sealed class PoweredDigitalOutput(IDigitalOutput inner, PowerRail rail) : IDigitalOutput
{
    public void Write(bool high)
    {
        rail.Check();
        inner.Write(high);
    }
}
