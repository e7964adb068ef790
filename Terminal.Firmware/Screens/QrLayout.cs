using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// Where the payment QR code goes: a square at the left edge, full screen height, with a quiet zone
    /// of <see cref="QuietModules"/> lit modules, at the largest integer scale that fits. The text column
    /// takes what is left on the right. A QR encoder choosing version and EC level for this screen should
    /// maximise <see cref="ScaleFor"/>.
    /// </summary>
    public static class QrLayout
    {
        /// <summary>Side of the square available to the symbol and its quiet zone.</summary>
        public const int AreaSize = Framebuffer.Height;

        /// <summary>
        /// Quiet zone in modules on every side. ISO/IEC 18004 asks for 4; issue 6 sets 2 as the minimum,
        /// which lets a version 2 symbol (25 modules) reach 2 pixels per module on 64 rows.
        /// </summary>
        public const int QuietModules = 2;

        /// <summary>Pixels per module for a symbol of <paramref name="size"/> modules; 0 = does not fit.</summary>
        public static int ScaleFor(int size)
        {
            return Framebuffer.ModuleScaleFor(size, QuietModules, AreaSize, AreaSize);
        }

        /// <summary>Largest symbol side in modules that fits at the given scale (e.g. 28 at scale 2).</summary>
        public static int MaxModulesAt(int scale)
        {
            return scale < 1 ? 0 : AreaSize / scale - 2 * QuietModules;
        }
    }
}
