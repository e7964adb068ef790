namespace Terminal.Drivers.Ports
{
    /// <summary>
    /// One I2C device on a bus, as the display drivers see it. The ESP32 binding wraps
    /// System.Device.I2c.I2cDevice; tests use a simulated device that interprets the bytes.
    /// </summary>
    public interface II2cBus
    {
        /// <summary>
        /// Writes <paramref name="count"/> bytes starting at <paramref name="offset"/> as one I2C write
        /// transaction. Returns false when the transfer was not complete (NACK, bus error, clock-stretch
        /// timeout); the caller decides whether to retry.
        /// </summary>
        bool Write(byte[] buffer, int offset, int count);
    }
}
