using nanoFramework.Runtime.Native;
using Terminal.Updates;

namespace Terminal.Esp32.Updates
{
    /// <summary>The restart into the version the boot record names: a reboot of the chip (the app has stopped), after
    /// which the flashed Terminal.Esp32.Boot chooses and loads it.</summary>
    internal sealed class RebootRestart : IPlatformRestart
    {
        public void Restart()
        {
            Power.RebootDevice();
        }
    }
}
