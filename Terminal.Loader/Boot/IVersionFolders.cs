namespace Terminal.Loader.Boot
{
    /// <summary>One folder per application version (on the device <c>I:\ota\&lt;version&gt;</c>).</summary>
    public interface IVersionFolders
    {
        ILoaderFolder Folder(string version);
    }
}
