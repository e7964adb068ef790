using Terminal.Drivers.Ports;
using Terminal.SimulatedDevices.Display;

namespace Terminal.Tests.Display;

/// <summary>The I2C port of a display driver under test, wired to a controller model.</summary>
internal sealed class ModelBus(OledModel model) : II2cBus
{
    public bool Write(byte[] buffer, int offset, int count) => model.Write(buffer, offset, count);

    public bool Read(byte[] buffer, int offset, int count) => false;
}
