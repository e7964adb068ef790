namespace Terminal.SimulatedDevices.Display;

/// <summary>How a simulated I2C write fails.</summary>
public enum WriteFault
{
    None,

    /// <summary>Address not acknowledged: the controller sees nothing; Write returns false.</summary>
    Nack,

    /// <summary>The controller receives only the first half of the bytes; Write returns false.</summary>
    Partial,

    /// <summary>The bus binding throws instead of returning false.</summary>
    Throw,
}
