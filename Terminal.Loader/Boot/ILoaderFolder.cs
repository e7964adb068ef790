namespace Terminal.Loader.Boot
{
    /// <summary>
    /// The loader's own folder on non-volatile storage (on the device a folder of the internal flash volume that
    /// nothing else writes; the record store tidies its own folder and must not see these files). The same shape as
    /// Terminal.Io's IStorageFolder, declared here because the loader references no assembly an update replaces:
    /// one open file for reading and one for writing; every method throws System.IO.IOException on failure.
    /// </summary>
    public interface ILoaderFolder
    {
        /// <summary>Opens the file for reading and returns its length, or -1 (and opens nothing) when it does not exist.</summary>
        int OpenRead(string file);

        int Read(byte[] buffer, int offset, int count);

        void CloseRead();

        /// <summary>Creates or empties the file and opens it for writing.</summary>
        void Create(string file);

        void Write(byte[] buffer, int offset, int count);

        /// <summary>Closes the file open for writing; when it returns the bytes are on the medium.</summary>
        void CloseWrite();

        /// <summary>Removes the file; no error when it does not exist.</summary>
        void Delete(string file);
    }
}
