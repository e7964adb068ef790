using Terminal.Firmware.Diagnostics;

namespace Terminal.Simulator;

internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "selftest")
        {
            SelfTestReport report = SelfTest.RunAll(line => Console.WriteLine(line));
            return report.Failed == 0 ? 0 : 1;
        }

        Console.Error.WriteLine("usage: Terminal.Simulator [selftest]");
        return 2;
    }
}
