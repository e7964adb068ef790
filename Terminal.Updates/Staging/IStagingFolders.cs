using Terminal.Io.Storage;

namespace Terminal.Updates.Staging
{
    /// <summary>One folder per application version, written by the staging (on the device <c>I:\ota\&lt;version&gt;</c>,
    /// the folders the loader reads through its IVersionFolders).</summary>
    public interface IStagingFolders
    {
        IStorageFolder Folder(string version);
    }
}
