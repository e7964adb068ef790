using Terminal.Firmware.Diagnostics;

namespace Terminal.NanoRunner.Timing
{
    /// <summary>
    /// Times the terminal's per-payment work on whatever runtime runs this program. Every line starts with
    /// "timing" and is left out when the two runtimes' outputs are compared. Each figure is the mean over as many
    /// operations as fit in half a second (at least five), after 0.3 s of untimed warm-up (.NET's tiered JIT
    /// recompiles hot methods only after about a hundred milliseconds of calls); a workload whose answer is wrong is
    /// reported as failed instead of timed.
    /// </summary>
    public static class TimingSection
    {
        public const string Prefix = "timing";

        private const long TargetTicks = 5000000; // 0.5 s in 100 ns ticks
        private const long WarmUpTicks = 3000000;
        private const int MinOperations = 5;

        public static void Run(SelfTestOutput output)
        {
            output(Prefix + ": mean time per operation on this runtime (not compared between runtimes)");
            TerminalWorkloads w = new TerminalWorkloads();
            Measure(output, "cpm sale work (build+sign pay, verify+parse answer)", w.CpmSale());
            Measure(output, "poll iteration (build+sign inquiry, verify+parse PROCESSING)", w.PollIteration());
            Measure(output, "order-code QR encode (" + w.CodeValueLength + " bytes, all masks)", w.QrEncode());
            TftWorkloads tft = new TftWorkloads(w.CodeValue);
            Measure(output, "tft 240x320 QR screen full repaint (render+hand over)", tft.FullQrScreen());
            Measure(output, "tft 240x320 countdown tick (paint+render+hand over)", tft.CountdownTick());
            Measure(output, "menu PIN check (PBKDF2-HMAC-SHA256, " + Terminal.Countertop.Pin.PinVault.NewPinIterations + " iterations, portable HMAC)", new PinCheck());
            Measure(output, "menu PIN check, native shape (the managed part on the device: " + Terminal.Countertop.Pin.PinVault.NewPinIterations + " copies and native calls, no hash)", new PinCheckNativeShape());
            Measure(output, "calibration: " + NativeCallLoop.CallsPerOperation + " native instance calls in a loop", new NativeCallLoop());
        }

        private static void Measure(SelfTestOutput output, string name, IWorkload work)
        {
            long warmUpEnd = System.DateTime.UtcNow.Ticks + WarmUpTicks;
            do
            {
                if (!work.RunOnce())
                {
                    output(Prefix + " " + name + ": FAILED (wrong answer; not timed)");
                    return;
                }
            }
            while (System.DateTime.UtcNow.Ticks < warmUpEnd);

            int n = 0;
            long start = System.DateTime.UtcNow.Ticks;
            long elapsed;
            do
            {
                if (!work.RunOnce())
                {
                    output(Prefix + " " + name + ": FAILED after " + n + " operations");
                    return;
                }

                n++;
                elapsed = System.DateTime.UtcNow.Ticks - start;
            }
            while (elapsed < TargetTicks || n < MinOperations);

            long perOperation = elapsed / n;
            output(Prefix + " " + name + ": " + perOperation / 10 + "." + perOperation % 10 + " us (" + n + " operations in " + elapsed / 10000 + " ms)");
        }
    }
}
