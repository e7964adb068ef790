using Terminal.Drivers.Ports;

namespace Terminal.Benchmarks.Display;

/// <summary>An always-acknowledging I2C device that counts what a driver sends.</summary>
internal sealed class CountingI2cBus : II2cBus
{
    public long Writes { get; private set; }

    /// <summary>Bytes handed to the bus per write (control byte included, address byte not).</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>On the wire each write also carries the address byte.</summary>
    public long WireBytes => PayloadBytes + Writes;

    public void Reset()
    {
        Writes = 0;
        PayloadBytes = 0;
    }

    public bool Write(byte[] buffer, int offset, int count)
    {
        Writes++;
        PayloadBytes += count;
        return true;
    }

    public bool Read(byte[] buffer, int offset, int count) => false;
}
