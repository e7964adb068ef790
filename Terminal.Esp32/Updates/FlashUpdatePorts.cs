using System.IO;
using Terminal.Esp32.Bindings;
using Terminal.Loader.Boot;
using Terminal.Updates;

namespace Terminal.Esp32.Updates
{
    /// <summary>
    /// The update ports of the ESP32 (docs/ota.md, "On the ESP32"), all on the internal flash volume:
    /// <c>I:\ota\boot</c> holds the loader's boot record, <c>I:\ota\installed</c> the version flash.ps1 installed,
    /// <c>I:\ota\&lt;version&gt;</c> each staged version's pieces; the flashed assemblies are the ones the runtime
    /// loaded from the deployment partition; the restart reboots the chip, after which the flashed boot program
    /// (Terminal.Esp32.Boot) starts the version the boot record names.
    /// </summary>
    public static class FlashUpdatePorts
    {
        /// <summary>The loader's root on the internal flash volume; Terminal.Esp32.Boot reads the same folders.</summary>
        public const string Root = "I:\\ota";

        public static UpdatePorts Create()
        {
            if (!Directory.Exists(Root))
            {
                Directory.CreateDirectory(Root);
            }

            string boot = Root + "\\" + VersionFolderName.Boot;
            UpdatePorts ports = new UpdatePorts();
            ports.BootFolder = new FlashFolder(boot);
            ports.Folders = new FlashVersionFolders(Root, new FlashFolder(boot));
            ports.Flashed = new LoadedAssemblyVersions();
            ports.Restart = new RebootRestart();
            return ports;
        }
    }
}
