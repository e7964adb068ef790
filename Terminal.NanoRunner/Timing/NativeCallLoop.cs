namespace Terminal.NanoRunner.Timing
{
    /// <summary>
    /// The loop of the one public timing of nanoFramework's interpreter on an ESP32 that this project found
    /// (nanoframework/Home issue 1013: <c>while (true) pin.Toggle();</c>, one call of a native instance method per
    /// pass, 27 kHz on ESP32_REV3 firmware): a thousand calls of a native instance method of mscorlib
    /// (<see cref="string.CompareTo(string)"/> on one-character strings) per operation, eight per loop pass. Timed in
    /// the same run as the terminal's work, it turns this machine's interpreter times into ESP32 estimates
    /// (docs/benchmarks/nanoclr.md).
    /// </summary>
    public sealed class NativeCallLoop : IWorkload
    {
        public const int CallsPerOperation = 1000;

        private readonly string _a = "a";
        private readonly string _b = "b";

        public bool RunOnce()
        {
            string a = _a;
            string b = _b;
            for (int i = 0; i < CallsPerOperation / 8; i++)
            {
                a.CompareTo(b);
                a.CompareTo(b);
                a.CompareTo(b);
                a.CompareTo(b);
                a.CompareTo(b);
                a.CompareTo(b);
                a.CompareTo(b);
                a.CompareTo(b);
            }

            return a.CompareTo(b) < 0;
        }
    }
}
