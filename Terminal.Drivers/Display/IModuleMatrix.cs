namespace Terminal.Drivers.Display
{
    /// <summary>
    /// A square grid of dark/light modules, such as an encoded QR symbol (ISO/IEC 18004 section 3:
    /// "module"). The framebuffer blits any matrix; the QR encoder produces one.
    /// </summary>
    public interface IModuleMatrix
    {
        /// <summary>Modules per side, without quiet zone.</summary>
        int Size { get; }

        /// <summary>True for a dark module. (0,0) is the top-left module; x grows right, y down.</summary>
        bool IsDark(int x, int y);
    }
}
