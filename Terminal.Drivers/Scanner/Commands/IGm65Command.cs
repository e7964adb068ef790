namespace Terminal.Drivers.Scanner.Commands
{
    /// <summary>One host-to-module command frame of the GM65 zone-bit protocol.</summary>
    public interface IGm65Command
    {
        /// <summary>The frame's Types byte (read, write or save).</summary>
        byte Type { get; }

        /// <summary>The first zone address the command addresses.</summary>
        int Address { get; }

        /// <summary>Length of the whole frame in bytes, head and CRC included.</summary>
        int Length { get; }

        /// <summary>Writes the whole frame at <paramref name="offset"/> and returns its length.</summary>
        int WriteTo(byte[] buffer, int offset);
    }
}
