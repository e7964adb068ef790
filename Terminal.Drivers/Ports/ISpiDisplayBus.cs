namespace Terminal.Drivers.Ports
{
    /// <summary>
    /// A display controller on SPI with a data/command line, as the colour display drivers see it: the
    /// "4-line serial interface" of the ST7789 and ILI9341 datasheets (SCL, SDA, CSX and D/CX, write only).
    /// The ESP32 binding wraps System.Device.Spi.SpiDevice and a GPIO for D/CX; tests use a controller model
    /// that interprets the bytes.
    /// </summary>
    public interface ISpiDisplayBus
    {
        /// <summary>
        /// Writes <paramref name="count"/> bytes from <paramref name="offset"/> in one chip-select transaction with
        /// the D/CX line low (<paramref name="data"/> false: the first byte is a command) or high (parameters or
        /// pixel data). Returns false when the binding could not complete the transfer; the caller decides whether
        /// to retry. SPI has no acknowledgement, so true means "sent", not "received".
        /// </summary>
        bool Write(byte[] buffer, int offset, int count, bool data);
    }
}
