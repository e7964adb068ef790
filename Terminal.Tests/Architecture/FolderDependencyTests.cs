using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Terminal.Tests.NanoInspector;
using Xunit;

namespace Terminal.Tests.Architecture;

/// <summary>
/// Which way the firmware's assemblies and folders depend on each other (docs/decisions/004-transaction-desk-and-folders.md),
/// checked on the compiled assemblies: each portable assembly references only the ones below it and holds only its
/// own namespace; each folder (namespace below "Terminal.") sits in a layer and uses only folders of lower layers,
/// across the assemblies too, so no two folders can ever need each other; the driver assembly has no cycle between
/// its device folders. A new folder or assembly must be given its layer here.
/// </summary>
public sealed class FolderDependencyTests
{
    private const string Root = "Terminal.";
    private const string DriversRoot = "Terminal.Drivers.";

    /// <summary>The portable assemblies above the drivers and what each may reference, bottom first.</summary>
    private static readonly (Type Member, string[] References)[] Assemblies =
    [
        (typeof(Terminal.Core.Json.JsonReader), []),
        (typeof(Terminal.Payments.Engine.PaymentEngine), ["Terminal.Core"]),
        (typeof(Terminal.Transactions.TransactionDesk), ["Terminal.Core", "Terminal.Drivers", "Terminal.Payments"]),
        (typeof(Terminal.Vending.Mdb.MdbVending), ["Terminal.Core", "Terminal.Drivers", "Terminal.Payments", "Terminal.Transactions"]),
        (typeof(Terminal.Countertop.CountertopFrontEnd), ["Terminal.Core", "Terminal.Drivers", "Terminal.Payments", "Terminal.Transactions"]),
        (typeof(Terminal.DeviceLink.FleetLink), ["Terminal.Core", "Terminal.Payments", "Terminal.Transactions"]),
        (typeof(Terminal.Firmware.App.TerminalApp), ["Terminal.Core", "Terminal.Countertop", "Terminal.DeviceLink", "Terminal.Drivers", "Terminal.Payments", "Terminal.Transactions", "Terminal.Updates", "Terminal.Vending"]),
        (typeof(Terminal.Io.Http.GatewayHttpClient), ["Terminal.Core"]),
        (typeof(Terminal.Updates.Manifest.UpdateManifest), ["Terminal.Core", "Terminal.DeviceLink", "Terminal.Io", "Terminal.Loader", "Terminal.Payments", "Terminal.Transactions"]),
        (typeof(Terminal.Loader.AppLoader), []),
    ];

    /// <summary>Layer of every folder (namespace below Terminal.); a folder uses only lower layers.</summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        // Terminal.Core: primitives and ports, depending on nothing of the firmware.
        ["Core.Text"] = 0,
        ["Core.Crypto"] = 0,
        ["Core.Checksums"] = 0,
        ["Core.Encoding"] = 0,
        ["Core.Money"] = 0,
        ["Core.Ports"] = 0,

        // The JSON reader and writer.
        ["Core.Json"] = 1,

        // The configuration file and its sections.
        ["Core.Config"] = 2,

        // Terminal.Payments: payment-code checks; the journal and its record types; the engine's and the merchant's
        // configuration sections.
        ["Payments.Cpm"] = 3,
        ["Payments.Journal"] = 3,
        ["Payments.Config"] = 3,

        // Terminal.Vending's configuration section (read with the others, used by the vending front ends).
        ["Vending.Config"] = 3,

        // Terminal.Io: the device's HTTP client and the record store, under both platforms' bindings.
        ["Io.Http"] = 3,
        ["Io.Storage"] = 3,

        // The Antom wire client: requests, signatures, answers; knows nothing of the payment flows.
        ["Payments.Antom"] = 4,

        // The payment engine: sales, refunds, voids, recovery, over the journal and the wire client.
        ["Payments.Engine"] = 5,

        // Terminal.Transactions: the transaction desk: jobs, phases, busy rules, the worker; publishes progress and results.
        ["Transactions"] = 6,

        // Terminal.Countertop: the standalone countertop's parts (keys, amount entry, PIN, the screens it asks for),
        // then receipts and sounds, the merchant menu, and the keypad front end over them all.
        ["Countertop.Keys"] = 7,
        ["Countertop.Entry"] = 7,
        ["Countertop.Pin"] = 7,
        ["Countertop.View"] = 7,
        ["Countertop.Receipts"] = 8,
        ["Countertop.Sound"] = 8,
        ["Countertop.Menu"] = 9,
        ["Countertop"] = 10,

        // Terminal.Firmware: front ends and outputs of the terminal.
        ["Firmware.HostLink"] = 10,
        ["Firmware.Screens"] = 10,

        // Terminal.Vending: the vending machines' front ends and vend channels (pulse credit, MDB cashless).
        ["Vending.Pulse"] = 7,
        ["Vending.Mdb"] = 7,

        // Terminal.DeviceLink: remote settings (over the configuration's rules), the heartbeat (link work on the
        // desk's worker that carries them), and the component that joins both to the desk.
        ["DeviceLink.Settings"] = 7,
        ["DeviceLink.Heartbeat"] = 8,
        ["DeviceLink"] = 9,

        // Terminal.Updates: over-the-air updates: the bundle's manifest and its per-device authentication, then the
        // staging of an offered bundle into the candidate's folder, the rule that marks a version healthy, the download
        // over HTTP ranges, the link task on the desk's worker, and the component the firmware composes; its section.
        ["Updates.Config"] = 3,
        ["Updates.Manifest"] = 5,
        ["Updates.Staging"] = 6,
        ["Updates.Health"] = 7,
        ["Updates.Download"] = 7,
        ["Updates.Link"] = 9,
        ["Updates"] = 10,

        // Terminal.Loader: the flashed loader (mscorlib only, so that an update can replace every other assembly):
        // loading from bytes, then the boot record and the version folders.
        ["Loader"] = 0,
        ["Loader.Boot"] = 1,

        // The self-test checks every module; the terminal's configuration lists every capability's section.
        ["Firmware.Diagnostics"] = 11,
        ["Firmware.Config"] = 11,

        // The composition and the main loop.
        ["Firmware.App"] = 12,
    };

    [Fact]
    public void Each_assembly_references_only_the_assemblies_below_it()
    {
        foreach ((Type member, string[] references) in Assemblies)
        {
            string[] ours = member.Assembly.GetReferencedAssemblies()
                .Select(a => a.Name!).Where(n => n.StartsWith(Root, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
            Assert.True(references.SequenceEqual(ours), $"{member.Assembly.GetName().Name} references {string.Join(", ", ours)}");
        }
    }

    [Fact]
    public void Each_assembly_holds_only_its_own_namespace()
    {
        foreach ((Type member, _) in Assemblies)
        {
            Assert.Empty(ForeignNamespaces(member.Assembly.Location));
        }
    }

    [Fact]
    public void Folders_use_only_folders_of_lower_layers()
    {
        Assert.Empty(LayerViolations(Firmware(), Layers));
    }

    [Fact]
    public void Every_folder_has_a_layer()
    {
        NamespaceGraph graph = Firmware();
        Assert.DoesNotContain(graph.Nodes, n => !Layers.ContainsKey(n));
        Assert.Contains("Payments.Antom", graph.Nodes);
        Assert.Contains("Transactions", graph.Nodes);
        Assert.Contains("Io.Storage", graph.Nodes);
    }

    [Fact]
    public void Folders_have_no_cycle()
    {
        IReadOnlyList<string>? cycle = Firmware().FindCycle();
        Assert.True(cycle == null, "folders that use each other: " + (cycle == null ? "" : string.Join(" -> ", cycle)));
    }

    [Fact]
    public void Driver_device_folders_have_no_cycle()
    {
        // A device's subfolders (Display/Ssd1306, Scanner/Commands) are parts of one driver: one node.
        NamespaceGraph graph = NamespaceGraph.Read(typeof(Terminal.Drivers.Qr.QrEncoder).Assembly.Location, DeviceFolder);
        IReadOnlyList<string>? cycle = graph.FindCycle();
        Assert.True(cycle == null, "device folders that use each other: " + (cycle == null ? "" : string.Join(" -> ", cycle)));
        Assert.Equal(new[] { "Buzzer", "Display", "Keypad", "MdbBridge", "Ports", "Printer", "Pulse", "Qr", "Scanner" }, graph.Nodes);
    }

    [Fact]
    public void The_simulated_devices_reference_none_of_the_terminals_assemblies()
    {
        // They are the independent check of the drivers: written from the datasheets, not from the driver code.
        static string[] Ours(Type type) => type.Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!).Where(n => n.StartsWith(Root, StringComparison.Ordinal)).Order().ToArray();

        Assert.Empty(Ours(typeof(Terminal.SimulatedDevices.Scanner.Gm65Model)));
        Assert.Contains("Terminal.Drivers", Ours(typeof(Terminal.Host.SystemSerialPort)));
        Assert.Contains("Terminal.Core", Ours(typeof(Terminal.Host.SystemSerialPort)));
    }

    // ---- negative controls: the reader and the checks do find what they look for ----

    private const string CycleSample = """
        namespace Sample.Low
        {
            public static class Helper
            {
                public static int Twice(int x) { return Sample.High.Service.Add(x, x); }
            }
        }

        namespace Sample.High
        {
            public static class Service
            {
                public static int Add(int a, int b) { return a + b; }

                public static int Use() { return Sample.Low.Helper.Twice(2); }
            }
        }

        namespace Sample.Other
        {
            public sealed class Holder
            {
                private Sample.Low.Record _record;

                public object Get() { return _record; }
            }
        }

        namespace Sample.Low
        {
            public sealed class Record
            {
            }
        }
        """;

    [Fact]
    public void A_cycle_made_only_of_static_calls_is_found()
    {
        using NanoSample sample = NanoSample.Compile(CycleSample, "CycleSample");
        NamespaceGraph graph = NamespaceGraph.Read(sample.AssemblyPath, ns => ns.Substring("Sample.".Length));

        IReadOnlyList<string>? cycle = graph.FindCycle();
        Assert.NotNull(cycle);
        Assert.Equal(cycle![0], cycle[^1]);
        Assert.Equal(new[] { "High", "Low" }, cycle.Distinct().Order());
        Assert.Contains("Sample.Low.Helper.Twice -> Sample.High.Service", graph.Example("Low", "High"));
    }

    [Fact]
    public void A_field_of_another_folder_counts_as_a_use_and_a_lower_layer_using_a_higher_one_is_reported()
    {
        using NanoSample sample = NanoSample.Compile(CycleSample, "LayerSample");
        NamespaceGraph graph = NamespaceGraph.Read(sample.AssemblyPath, ns => ns.Substring("Sample.".Length));
        Assert.Contains("Low", graph.Uses("Other"));

        var layers = new Dictionary<string, int> { ["Low"] = 0, ["High"] = 1, ["Other"] = 2 };
        Assert.Equal(new[] { "Low (layer 0) uses High (layer 1): Sample.Low.Helper.Twice -> Sample.High.Service" }, LayerViolations(graph, layers));
    }

    [Fact]
    public void An_acyclic_sample_has_no_cycle()
    {
        using NanoSample sample = NanoSample.Compile(
            "namespace S.A { public static class X { public static int F() { return S.B.Y.G(); } } }\n" +
            "namespace S.B { public static class Y { public static int G() { return 1; } } }",
            "AcyclicSample");
        NamespaceGraph graph = NamespaceGraph.Read(sample.AssemblyPath, ns => ns);
        Assert.Null(graph.FindCycle());
        Assert.Equal(new[] { "S.B" }, graph.Uses("S.A"));
    }

    [Fact]
    public void A_use_of_another_assemblys_type_is_an_edge_and_a_lower_layer_using_it_is_reported()
    {
        using NanoSample low = NanoSample.Compile(
            "namespace S.Low { public static class Helper { public static int Twice(int x) { return x + x; } } }", "SLow");
        using NanoSample high = NanoSample.Compile(
            "namespace S.High { public static class Service { public static int Use() { return S.Low.Helper.Twice(2); } } }", "SHigh", references: low);
        NamespaceGraph graph = NamespaceGraph.Read([low.AssemblyPath, high.AssemblyPath], ns => ns.Substring("S.".Length));

        Assert.Equal(new[] { "Low" }, graph.Uses("High"));
        var layers = new Dictionary<string, int> { ["High"] = 0, ["Low"] = 1 };
        Assert.Equal(new[] { "High (layer 0) uses Low (layer 1): S.High.Service.Use -> S.Low.Helper" }, LayerViolations(graph, layers));

        // Read alone, the other assembly's type is outside the graph, like a framework type.
        Assert.Empty(NamespaceGraph.Read(high.AssemblyPath, ns => ns).Uses("S.High"));
    }

    [Fact]
    public void A_type_outside_its_assemblys_namespace_is_found()
    {
        using NanoSample sample = NanoSample.Compile(
            "namespace Sample.Inside { public class A { } }\nnamespace Elsewhere { public class B { } }", "Sample");

        Assert.Equal(new[] { "Elsewhere.B" }, ForeignNamespaces(sample.AssemblyPath));
    }

    private static NamespaceGraph Firmware() =>
        NamespaceGraph.Read(Assemblies.Select(a => a.Member.Assembly.Location).ToArray(), ns => Below(ns, Root));

    /// <summary>Types of the assembly whose namespace is neither the assembly's name nor below it.</summary>
    private static List<string> ForeignNamespaces(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        string name = reader.GetString(reader.GetAssemblyDefinition().Name);
        var foreign = new List<string>();
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string ns = reader.GetString(type.Namespace);
            bool compilerHelper = ns.Length == 0 || ns == "Microsoft.CodeAnalysis" || ns == "System.Runtime.CompilerServices";
            if (!type.IsNested && !compilerHelper && ns != name && !ns.StartsWith(name + ".", StringComparison.Ordinal))
            {
                foreign.Add(ns + "." + reader.GetString(type.Name));
            }
        }

        return foreign;
    }

    private static string DeviceFolder(string ns)
    {
        string folder = Below(ns, DriversRoot);
        int dot = folder.IndexOf('.');
        return dot < 0 ? folder : folder.Substring(0, dot);
    }

    private static string Below(string ns, string root) =>
        ns.StartsWith(root, StringComparison.Ordinal) ? ns.Substring(root.Length) : ns;

    private static List<string> LayerViolations(NamespaceGraph graph, Dictionary<string, int> layers) =>
        graph.Edges
            .Where(e => !layers.TryGetValue(e.From, out int from) || !layers.TryGetValue(e.To, out int to) || to >= from)
            .Select(e => $"{e.From} (layer {Layer(layers, e.From)}) uses {e.To} (layer {Layer(layers, e.To)}): {e.Example}")
            .ToList();

    private static string Layer(Dictionary<string, int> layers, string node) =>
        layers.TryGetValue(node, out int layer) ? layer.ToString() : "none";
}
