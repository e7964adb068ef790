namespace Terminal.Drivers.Printer
{
    /// <summary>What the printer's real-time status says (or that it said nothing useful).</summary>
    public enum PrinterState
    {
        /// <summary>Not asked yet.</summary>
        Unknown = 0,

        /// <summary>Online with paper.</summary>
        Ready = 1,

        /// <summary>Online, but the roll is nearly used up (prints; change the roll soon).</summary>
        PaperLow = 2,

        /// <summary>The roll is empty: the printer stopped.</summary>
        PaperOut = 3,

        /// <summary>The paper cover is open.</summary>
        CoverOpen = 4,

        /// <summary>Offline for another reason (an error, the feed button held).</summary>
        Offline = 5,

        /// <summary>No answer in time: unplugged, unpowered, or another baud rate.</summary>
        NotAnswering = 6,

        /// <summary>Bytes came back that are not status bytes: a wrong baud rate or not an ESC/POS printer.</summary>
        Garbled = 7,
    }
}
