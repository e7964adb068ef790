namespace Terminal.Core.Ports
{
    /// <summary>
    /// Small named records on non-volatile storage (the device's internal flash file system, a PC folder).
    /// Names are short ASCII ("journal.a"). Both bindings are Terminal.Io's RecordStore over their folder:
    /// every record is stored self-verifying (length and CRC-32) and replaced without a rename, so a reader sees
    /// the old or the new record, never a mixture or a cut one, across power loss at any byte and a write that
    /// fails half-way. A record that fails its check reads as absent.
    /// </summary>
    /// <remarks>
    /// What the storage cannot promise: that a record written survives a file system the device erases (the
    /// ESP32 formats its littlefs volume when it cannot mount it, docs/device-build.md), or that a write
    /// interrupted by a power cut took effect. Callers that must never lose a state keep two records in turn
    /// (the journal does).
    /// </remarks>
    public interface IDurableStorage
    {
        /// <summary>
        /// Copies the record into <paramref name="buffer"/> (at most <paramref name="count"/> bytes) and returns
        /// its full length, which can exceed <paramref name="count"/>; returns -1 when there is no such record
        /// (or none that passes its check). The buffer's contents are unspecified when -1 is returned.
        /// </summary>
        int Read(string name, byte[] buffer, int offset, int count);

        /// <summary>
        /// Creates or replaces the record with the bytes. Throws System.IO.IOException on failure; the previous
        /// record is then still the one read.
        /// </summary>
        void Write(string name, byte[] buffer, int offset, int count);

        /// <summary>Removes the record; no error when it does not exist.</summary>
        void Delete(string name);
    }
}
