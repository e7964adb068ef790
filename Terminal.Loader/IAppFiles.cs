namespace Terminal.Loader
{
    /// <summary>
    /// Where one application version's files are: the device reads them from its staging folder on the record
    /// store; the nanoCLR proof reads them from memory.
    /// </summary>
    public interface IAppFiles
    {
        /// <summary>The whole file, or null when there is no such file.</summary>
        byte[] ReadAll(string version, string fileName);
    }
}
