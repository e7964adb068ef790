namespace Terminal.Drivers.Scanner
{
    /// <summary>Tunables of the scanner driver and its code framer; the defaults suit a GM65 at 9600 baud.</summary>
    public sealed class ScannerSettings
    {
        /// <summary>
        /// Longest code kept (bytes). Payment codes have at most 32 digits; 256 leaves room to recognise
        /// a scanned web link or text and say so.
        /// </summary>
        public int MaxCodeLength { get; set; } = 256;

        /// <summary>Shortest code kept; anything shorter is noise. No payment code or useful QR is this short.</summary>
        public int MinCodeLength { get; set; } = 4;

        /// <summary>
        /// Silence that ends a code when no CR arrives. The module sends a code in one burst (about 1 ms per
        /// byte at 9600 baud), so 100 ms of silence means it has finished.
        /// </summary>
        public int IdleGapMs { get; set; } = 100;

        /// <summary>
        /// A code equal to the previous one within this time is reported once. The window slides: a phone held
        /// in front of a continuous-mode scanner stays one read.
        /// </summary>
        public int DuplicateWindowMs { get; set; } = 1500;

        /// <summary>How long to wait for the module's reply to one command. The module drops a command after 400 ms.</summary>
        public int ReplyTimeoutMs { get; set; } = 300;

        /// <summary>How many times a command is sent before the module counts as silent.</summary>
        public int Attempts { get; set; } = 3;

        /// <summary>Checks the values and throws <see cref="System.ArgumentOutOfRangeException"/> naming the field.</summary>
        public void Validate()
        {
            Check("MaxCodeLength", MaxCodeLength, 1, 4096);
            Check("MinCodeLength", MinCodeLength, 1, MaxCodeLength);
            Check("IdleGapMs", IdleGapMs, 1, 60000);
            Check("DuplicateWindowMs", DuplicateWindowMs, 0, 600000);
            Check("ReplyTimeoutMs", ReplyTimeoutMs, 1, 60000);
            Check("Attempts", Attempts, 1, 100);
        }

        private static void Check(string name, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                throw new System.ArgumentOutOfRangeException(name, name + " must be " + min + ".." + max + ", got " + value);
            }
        }
    }
}
