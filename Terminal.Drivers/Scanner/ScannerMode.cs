namespace Terminal.Drivers.Scanner
{
    /// <summary>How the module decides when to scan (zone 0x0000 bits1-0).</summary>
    public enum ScannerMode
    {
        /// <summary>One scan per <see cref="Gm65Scanner.Trigger"/>: the terminal decides when it reads.</summary>
        CommandTriggered = 0,

        /// <summary>The module scans all the time; repeated reads of one code are reported once.</summary>
        Continuous = 1,
    }
}
