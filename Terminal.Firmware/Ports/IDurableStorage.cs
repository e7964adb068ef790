namespace Terminal.Firmware.Ports
{
    /// <summary>
    /// Small named records on non-volatile storage (the device's internal flash file system, a PC folder).
    /// Names are short ASCII ("journal.a"). A binding replaces a record atomically from the caller's view
    /// (write a temporary copy, flush, delete, move; finish or undo a half-done replace at start-up), but
    /// callers that must survive power loss still protect their records themselves: storage can tear.
    /// </summary>
    public interface IDurableStorage
    {
        /// <summary>
        /// Copies the record into <paramref name="buffer"/> (at most <paramref name="count"/> bytes) and returns
        /// its full length, which can exceed <paramref name="count"/>; returns -1 when there is no such record.
        /// </summary>
        int Read(string name, byte[] buffer, int offset, int count);

        /// <summary>Creates or replaces the record with the bytes. Throws System.IO.IOException on failure.</summary>
        void Write(string name, byte[] buffer, int offset, int count);

        /// <summary>Removes the record; no error when it does not exist.</summary>
        void Delete(string name);
    }
}
