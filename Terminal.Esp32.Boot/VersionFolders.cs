using Terminal.Loader.Boot;

namespace Terminal.Esp32.Boot
{
    /// <summary>The version folders under <c>I:\ota</c> that the application's staging writes
    /// (Terminal.Esp32.Updates.FlashUpdatePorts, the same root) and flash.ps1 installs the first version into.</summary>
    internal sealed class VersionFolders : IVersionFolders
    {
        public const string Root = "I:\\ota";

        public ILoaderFolder Folder(string version)
        {
            return new LoaderFlashFolder(Root + "\\" + VersionFolderName.Of(version));
        }
    }
}
