namespace Terminal.Drivers.Ports
{
    /// <summary>
    /// A byte-oriented serial line (UART or USB CDC), as the scanner driver and the host link see it.
    /// The ESP32 binding wraps System.IO.Ports.SerialPort; the PC binding wraps .NET's SerialPort or a pipe.
    /// </summary>
    public interface ISerialPort
    {
        /// <summary>
        /// Reads up to <paramref name="count"/> bytes into <paramref name="buffer"/>, waiting at most
        /// <paramref name="timeoutMs"/> milliseconds for the first byte. Returns the number of bytes read,
        /// 0 on timeout. Never allocates.
        /// </summary>
        int Read(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>Writes the bytes and returns when they are handed to the port.</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
