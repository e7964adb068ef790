namespace Terminal.Firmware.HostLink
{
    /// <summary>What one byte fed to a <see cref="LineAssembler"/> completed.</summary>
    public enum LineResult
    {
        /// <summary>Nothing yet.</summary>
        None = 0,

        /// <summary>A line (terminator removed) is in <see cref="LineAssembler.Buffer"/>.</summary>
        Line,

        /// <summary>A line longer than the limit ended; its bytes were dropped.</summary>
        TooLong,
    }
}
