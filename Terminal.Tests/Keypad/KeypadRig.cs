using Terminal.Drivers.Keypad;
using Terminal.Drivers.Keypad.Pcf8574;
using Terminal.Drivers.Ports;
using Terminal.SimulatedDevices.Keypad;
using Terminal.Tests.Support;

namespace Terminal.Tests.Keypad;

/// <summary>The expander's I2C address, wired to the keypad model.</summary>
internal sealed class ModelExpanderBus(Pcf8574KeypadModel model) : II2cBus
{
    public bool Write(byte[] buffer, int offset, int count) => model.Write(buffer, offset, count);

    public bool Read(byte[] buffer, int offset, int count) => model.Read(buffer, offset, count);
}

/// <summary>A PCF8574 keypad model, the driver over it and a fake clock that only the test moves.</summary>
internal sealed class KeypadRig
{
    public KeypadRig(bool fourByFour = true, int debounceMs = Terminal.Drivers.Keypad.Keypad.DefaultDebounceMs, int seed = 1)
    {
        Model = fourByFour ? Pcf8574KeypadModel.FourByFour(() => Clock.Mono, seed) : Pcf8574KeypadModel.ThreeByFour(() => Clock.Mono, seed);
        KeypadLayout layout = fourByFour ? KeypadLayout.FourByFour() : KeypadLayout.ThreeByFour();
        Keypad = new Terminal.Drivers.Keypad.Keypad(new Pcf8574KeyMatrix(new ModelExpanderBus(Model), layout), layout, debounceMs);
    }

    public FakeClock Clock { get; } = new();

    public Pcf8574KeypadModel Model { get; }

    public Terminal.Drivers.Keypad.Keypad Keypad { get; }

    /// <summary>Scans every <paramref name="periodMs"/> for <paramref name="durationMs"/>.</summary>
    public void Run(int durationMs, int periodMs = 10)
    {
        for (long end = Clock.Mono + durationMs; Clock.Mono < end;)
        {
            Clock.Advance(periodMs);
            Keypad.Scan(Clock.Mono);
        }
    }

    public string Taken()
    {
        var keys = new System.Text.StringBuilder();
        while (Keypad.TryTake(out char key))
        {
            keys.Append(key);
        }

        return keys.ToString();
    }
}
