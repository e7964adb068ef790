using System;
using System.Threading;
using nanoFramework.Runtime.Native;
using Terminal.Loader.Boot;

namespace Terminal.Esp32.Boot
{
    /// <summary>
    /// The flashed program of a terminal that takes updates (docs/ota.md, "On the ESP32"): deployed with the runtime,
    /// Terminal.Loader and nanoFramework's libraries, and nothing of the application. At power-on it asks the boot
    /// record in <c>I:\ota\boot</c> which version to start (counting a trial's boot first), loads that version's
    /// .pe files from its folder with Assembly.Load(byte[]) and calls its entry point (a bundle's
    /// <c>Terminal.Esp32.Program.LoaderMain</c>), which runs the terminal until it reboots. A version on trial that
    /// cannot be loaded or throws is rolled back by <see cref="BootSequence"/>; then, and whenever the entry point
    /// returns, the chip reboots: a loaded assembly cannot be unloaded.
    /// </summary>
    public static class Program
    {
        /// <summary>Before rebooting after a failed start: time for a technician's nanoff to reach the device, and
        /// no tight reboot loop when the known version itself cannot start (its files missing: flash again).</summary>
        private const int FailureRebootDelayMs = 30000;

        public static void Main()
        {
            try
            {
                BootSelector selector = new BootSelector(new LoaderFlashFolder(VersionFolders.Root + "\\" + VersionFolderName.Boot));
                BootSequence.Run(selector, new ChunkedAppFiles(new VersionFolders()));
                Console.WriteLine("boot: the application returned; rebooting");
            }
            catch (Exception e)
            {
                Console.WriteLine("boot: start failed: " + e.GetType().Name + " " + e.Message + "; rebooting in " + (FailureRebootDelayMs / 1000) + " s");
                Thread.Sleep(FailureRebootDelayMs);
            }

            Power.RebootDevice();
        }
    }
}
