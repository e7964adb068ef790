namespace Terminal.Drivers.Ports
{
    /// <summary>
    /// One I2C device on a bus, as the drivers see it (the OLED controller, the keypad's port expander). The ESP32
    /// binding wraps System.Device.I2c.I2cDevice; tests use a simulated device that interprets the bytes.
    /// </summary>
    public interface II2cBus
    {
        /// <summary>
        /// Writes <paramref name="count"/> bytes starting at <paramref name="offset"/> as one I2C write
        /// transaction. Returns false when the transfer was not complete (NACK, bus error, clock-stretch
        /// timeout); the caller decides whether to retry.
        /// </summary>
        bool Write(byte[] buffer, int offset, int count);

        /// <summary>
        /// Reads <paramref name="count"/> bytes into <paramref name="buffer"/> at <paramref name="offset"/> as one
        /// I2C read transaction. Returns false when the transfer was not complete (a write-only device such as the
        /// OLED controllers never completes one).
        /// </summary>
        bool Read(byte[] buffer, int offset, int count);
    }
}
