namespace Terminal.SimulatedDevices.Wire;

/// <summary>Sends bytes on a model's line. Any serial port's Write method converts to it.</summary>
public delegate void WriteBytes(byte[] buffer, int offset, int count);
