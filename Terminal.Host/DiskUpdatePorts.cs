using Terminal.Io.Storage;
using Terminal.Loader.Boot;
using Terminal.Updates;
using Terminal.Updates.Staging;

namespace Terminal.Host;

/// <summary>
/// The update ports of a PC-hosted terminal (the simulator) over a directory: <c>boot/</c> holds the loader's boot
/// record, <c>versions/&lt;version&gt;/</c> each staged version's pieces, as the ESP32's flash would. The PC has no
/// flashed part: it reports the versions the device build requires of one (nanoFramework's mscorlib 1.17.11.0 and
/// this build's Terminal.Loader), and it cannot load a bundle's .pe files, so the simulator keeps running its own
/// build under the version the boot record names.
/// </summary>
public static class DiskUpdatePorts
{
    /// <summary>The mscorlib of nanoFramework.CoreLibrary 1.17.11, which every bundle requires.</summary>
    public const string NanoMscorlib = "1.17.11.0";

    public static UpdatePorts Create(string folder, IPlatformRestart restart)
    {
        string boot = Path.Combine(folder, "boot");
        Directory.CreateDirectory(boot);
        return new UpdatePorts
        {
            BootFolder = new LoaderFolder(new DiskFolder(boot)),
            Folders = new VersionFolders(Path.Combine(folder, "versions")),
            Flashed = new Flashed(),
            Restart = restart,
        };
    }

    private sealed class LoaderFolder(IStorageFolder folder) : ILoaderFolder
    {
        public int OpenRead(string file) => folder.OpenRead(file);

        public int Read(byte[] buffer, int offset, int count) => folder.Read(buffer, offset, count);

        public void CloseRead() => folder.CloseRead();

        public void Create(string file) => folder.Create(file);

        public void Write(byte[] buffer, int offset, int count) => folder.Write(buffer, offset, count);

        public void CloseWrite() => folder.CloseWrite();

        public void Delete(string file) => folder.Delete(file);
    }

    private sealed class VersionFolders(string folder) : IStagingFolders
    {
        public IStorageFolder Folder(string version)
        {
            string path = Path.Combine(folder, version);
            Directory.CreateDirectory(path);
            return new DiskFolder(path);
        }
    }

    private sealed class Flashed : IFlashedVersions
    {
        public string? VersionOf(string assembly) => assembly switch
        {
            "mscorlib" => NanoMscorlib,
            "Terminal.Loader" => typeof(Terminal.Loader.AppLoader).Assembly.GetName().Version?.ToString(),
            _ => null,
        };
    }
}
