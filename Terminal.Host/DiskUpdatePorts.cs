using Terminal.Io.Storage;
using Terminal.Loader.Boot;
using Terminal.Updates;
using Terminal.Updates.Staging;

namespace Terminal.Host;

/// <summary>
/// The update ports of a PC-hosted terminal (the simulator) over a directory: <c>boot/</c> holds the loader's boot
/// record, <c>versions/&lt;version&gt;/</c> each staged version's pieces, as the ESP32's flash would. The PC's
/// flashed part is what the process runs on and cannot replace: the .NET runtime's assemblies and this build's
/// Terminal.Loader, at the versions this process loads; it also reports the mscorlib a device build requires
/// (nanoFramework's 1.17.11.0), so both a bundle of the simulator's own assemblies and a device bundle pass the
/// requirements check. It cannot load a bundle's files, so the simulator keeps running its own build under the
/// version the boot record names.
/// </summary>
public static class DiskUpdatePorts
{
    /// <summary>The mscorlib of nanoFramework.CoreLibrary 1.17.11, which every bundle requires.</summary>
    public const string NanoMscorlib = "1.17.11.0";

    /// <param name="wrap">Put around every folder (the simulator's power rail); null: the folders as they are.</param>
    public static UpdatePorts Create(string folder, IPlatformRestart restart, Func<IStorageFolder, IStorageFolder>? wrap = null)
    {
        string boot = Path.Combine(folder, "boot");
        Directory.CreateDirectory(boot);
        wrap ??= f => f;
        return new UpdatePorts
        {
            BootFolder = new LoaderFolder(wrap(new DiskFolder(boot))),
            Folders = new VersionFolders(Path.Combine(folder, "versions"), wrap),
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

    private sealed class VersionFolders(string folder, Func<IStorageFolder, IStorageFolder> wrap) : IStagingFolders
    {
        public IStorageFolder Folder(string version)
        {
            string path = Path.Combine(folder, version);
            Directory.CreateDirectory(path);
            return wrap(new DiskFolder(path));
        }
    }

    private sealed class Flashed : IFlashedVersions
    {
        public string? VersionOf(string assembly)
        {
            if (assembly == "mscorlib")
            {
                return NanoMscorlib;
            }

            if (assembly == "Terminal.Loader")
            {
                return typeof(Terminal.Loader.AppLoader).Assembly.GetName().Version?.ToString();
            }

            // The runtime's own assemblies only: an application assembly is never part of the PC's flashed part.
            if (!IsRuntimeAssembly(assembly))
            {
                return null;
            }

            try
            {
                return System.Reflection.Assembly.Load(new System.Reflection.AssemblyName(assembly)).GetName().Version?.ToString();
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                return null;
            }
        }

        private static bool IsRuntimeAssembly(string name) =>
            name is "netstandard" || name.StartsWith("System.", StringComparison.Ordinal) || name == "System" || name.StartsWith("Microsoft.", StringComparison.Ordinal);
    }
}
