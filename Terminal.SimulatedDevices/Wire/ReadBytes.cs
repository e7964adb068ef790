namespace Terminal.SimulatedDevices.Wire;

/// <summary>
/// Reads what arrived on a model's line, waiting at most <paramref name="timeoutMs"/> for the first byte; the
/// count read, 0 when nothing came. Any serial port's Read method converts to it.
/// </summary>
public delegate int ReadBytes(byte[] buffer, int offset, int count, int timeoutMs);
