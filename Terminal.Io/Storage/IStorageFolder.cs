namespace Terminal.Io.Storage
{
    /// <summary>
    /// The files of one flat folder on non-volatile storage: the ESP32's littlefs volume, a PC folder, an in-memory
    /// fake in tests. <see cref="RecordStore"/> keeps its records here; a binding holds no record logic.
    /// </summary>
    /// <remarks>
    /// At most one file is open for reading and one for writing at a time. Names are plain file names (no folder
    /// part) of ASCII letters, digits and <c>. - _ ~</c>. Every method throws System.IO.IOException on failure
    /// (a missing file is not a failure for <see cref="OpenRead"/> and <see cref="Delete"/>).
    /// </remarks>
    public interface IStorageFolder
    {
        /// <summary>The names of the files in the folder, in no particular order.</summary>
        string[] List();

        /// <summary>
        /// Opens the file for reading from its start and returns its length, or returns -1 and opens nothing when
        /// the file does not exist.
        /// </summary>
        int OpenRead(string file);

        /// <summary>Reads up to <paramref name="count"/> bytes of the file open for reading; 0 at its end.</summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Closes the file open for reading, if any.</summary>
        void CloseRead();

        /// <summary>Creates the file, or empties an existing one, and opens it for writing.</summary>
        void Create(string file);

        /// <summary>Appends the bytes to the file open for writing.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>
        /// Closes the file open for writing, if any; when it returns normally the bytes are on the medium (flushed
        /// through every cache the binding controls).
        /// </summary>
        void CloseWrite();

        /// <summary>Deletes the file; no error when it does not exist.</summary>
        void Delete(string file);
    }
}
