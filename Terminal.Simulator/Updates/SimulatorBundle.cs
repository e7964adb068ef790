using Terminal.Bundler;

namespace Terminal.Simulator.Updates;

/// <summary>
/// A bundle of the simulator's own application assemblies under a version of one's choosing: the same sources, a
/// bumped version (issue 17's simulator proof). Made by <see cref="BundleBuilder"/> exactly as the device build makes
/// one; the PC's executable format is the .dll, so each assembly is carried under the manifest's <c>.pe</c> name, and
/// its requirements are this process's runtime assemblies and Terminal.Loader (what the simulator's flashed part
/// reports, Terminal.Host/DiskUpdatePorts). The simulator cannot load the files it staged; it runs its own build
/// under the version the boot record names, so a bundle is the proof of the wire, the checks and the switch.
/// </summary>
public static class SimulatorBundle
{
    /// <summary>The application part, dependencies first (Terminal.Loader stays in the flashed part).</summary>
    public static readonly string[] Assemblies =
    [
        "Terminal.Core", "Terminal.Io", "Terminal.Payments", "Terminal.Transactions", "Terminal.DeviceLink", "Terminal.Updates",
        "Terminal.Countertop", "Terminal.Vending", "Terminal.Drivers", "Terminal.Firmware",
    ];

    public const string Entry = "Terminal.Firmware.App.TerminalApp.Run";

    /// <summary>Writes the bundle folder <paramref name="outFolder"/> and returns it.</summary>
    public static string Make(string version, string outFolder)
    {
        string pe = Path.Combine(Path.GetTempPath(), "simulator-pe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(pe);
        try
        {
            foreach (string assembly in Assemblies)
            {
                string dll = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
                File.Copy(dll, Path.Combine(pe, assembly + ".dll"));
                File.Copy(dll, Path.Combine(pe, assembly + ".pe"));
            }

            if (Directory.Exists(outFolder))
            {
                Directory.Delete(outFolder, true);
            }

            BundleBuilder.Build(pe, Assemblies, version, Entry, outFolder);
            return outFolder;
        }
        finally
        {
            Directory.Delete(pe, true);
        }
    }
}
