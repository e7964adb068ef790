using System.Text;
using Terminal.ConfigCheck;
using Terminal.Firmware.Config;

// Usage (docs/flashing.md, "Configuration rules"):
//   rules <file>             writes the rules table flash.ps1 reads (flash/config-rules.json)
//   check <file>...          each file holds terminal.json documents, one per line; prints one line per document,
//                            "ok" or "error <property>: <problem>"; exit code 0 when all are ok, 1 otherwise
//   pin <file>               the file holds one terminal.json document; reads a PIN from standard input and prints
//                            whether the firmware's PIN check accepts it ("accepted", "wrong", "not set"); exit code 0
//                            when accepted, 1 otherwise
// Exit code 2: wrong usage or an unreadable file.
if (args.Length >= 2 && args[0] == "rules")
{
    File.WriteAllText(args[1], RulesFile.Write(TerminalConfig.Rules()), new UTF8Encoding(false));
    return 0;
}

if (args.Length >= 2 && args[0] == "check")
{
    int failed = 0;
    foreach (string path in args.Skip(1))
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine("cannot read " + path + ": " + e.Message);
            return 2;
        }

        foreach (string line in lines.Where(l => l.Trim().Length > 0))
        {
            string? problem = FileCheck.Problem(line);
            Console.WriteLine(problem == null ? "ok" : "error " + problem);
            failed += problem == null ? 0 : 1;
        }
    }

    return failed == 0 ? 0 : 1;
}

if (args.Length == 2 && args[0] == "pin")
{
    string json;
    try
    {
        json = File.ReadAllText(args[1], Encoding.UTF8);
    }
    catch (IOException e)
    {
        Console.Error.WriteLine("cannot read " + args[1] + ": " + e.Message);
        return 2;
    }

    string verdict = PinCheckCommand.Verdict(json, (Console.In.ReadLine() ?? string.Empty).Trim());
    Console.WriteLine(verdict);
    return verdict == "accepted" ? 0 : 1;
}

Console.Error.WriteLine("usage: Terminal.ConfigCheck rules <file> | check <file>... | pin <file>");
return 2;
