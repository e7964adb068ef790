using Terminal.Bundler;

// dotnet run --project Terminal.Bundler -- --pe DIR --version 1.4.0 --entry Namespace.Type.Method --out DIR Assembly...
const string Usage = "usage: Terminal.Bundler --pe DIR --version VERSION --entry Namespace.Type.Method --out DIR ASSEMBLY... (load order, dependencies first)";
string? pe = null, version = null, entry = null, output = null;
var assemblies = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    string value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
    try
    {
        switch (args[i])
        {
            case "--pe": pe = value(); break;
            case "--version": version = value(); break;
            case "--entry": entry = value(); break;
            case "--out": output = value(); break;
            default:
                if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException("unknown option " + args[i]);
                assemblies.Add(args[i]);
                break;
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

if (pe == null || version == null || entry == null || output == null || assemblies.Count == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    byte[] manifest = BundleBuilder.Build(pe, assemblies, version, entry, output);
    long bytes = assemblies.Sum(a => new FileInfo(Path.Combine(output, a + ".pe")).Length);
    Console.WriteLine($"bundle {version}: {assemblies.Count} files, {bytes} bytes, manifest {manifest.Length} bytes in {output}");
    return 0;
}
catch (Exception e) when (e is BundleException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("bundle not made: " + e.Message);
    return 1;
}
