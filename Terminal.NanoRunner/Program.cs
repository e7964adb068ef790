using Terminal.Firmware.Diagnostics;
using Terminal.NanoRunner.Scenario;
using Terminal.NanoRunner.Timing;

namespace Terminal.NanoRunner
{
    /// <summary>
    /// Runs the firmware's self-test, the end-to-end scenario and the timing section, one line each, and ends with
    /// "N passed, M failed". The same program runs on .NET and on nanoCLR; every line but the "timing" ones is
    /// the same on both (.ci/nanoclr.sh compares them). See docs/nanoclr.md.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            Run(Print, true);
        }

        /// <summary>Runs everything, writing each line to <paramref name="output"/>; returns the failures.</summary>
        public static int Run(SelfTestOutput output, bool timing)
        {
            int passed = 0;
            int failed = 0;
            try
            {
                SelfTestReport selfTest = SelfTest.RunAll(delegate(string line) { output("selftest " + line); });
                SelfTestReport scenario = new SelfTestReport(output);
                EndToEnd.Run(scenario);
                passed = selfTest.Passed + scenario.Passed;
                failed = selfTest.Failed + scenario.Failed;
                if (timing)
                {
                    TimingSection.Run(output);
                }
            }
            catch (System.Exception e)
            {
                failed++;
                output("FAIL runner: " + e.GetType().Name + " " + e.Message);
            }

            output(passed + " passed, " + failed + " failed");
            return failed;
        }

        private static void Print(string line)
        {
            System.Console.WriteLine(line);
        }
    }
}
