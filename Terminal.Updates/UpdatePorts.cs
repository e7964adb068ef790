using Terminal.Loader.Boot;
using Terminal.Updates.Staging;

namespace Terminal.Updates
{
    /// <summary>
    /// What a platform gives the update component (all required): the loader's folder with the boot record, one
    /// folder per version for the staged files, the versions of its flashed assemblies and its restart. A platform
    /// without them leaves TerminalPorts.Updates null and the terminal takes no updates.
    /// </summary>
    public sealed class UpdatePorts
    {
        /// <summary>The loader's own folder (the boot record), as the loader reads it at power-on.</summary>
        public ILoaderFolder BootFolder { get; set; }

        public IStagingFolders Folders { get; set; }

        public IFlashedVersions Flashed { get; set; }

        public IPlatformRestart Restart { get; set; }
    }
}
