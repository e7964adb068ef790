using Terminal.Tests.NanoInspector;
using Xunit;

namespace Terminal.Tests.Architecture;

/// <summary>
/// Which way the firmware's folders depend on each other (docs/decisions/004-transaction-desk-and-folders.md),
/// checked on the compiled assemblies: each capability folder of Terminal.Firmware sits in a layer and uses only
/// folders of lower layers, so no two folders can ever need each other; the driver assembly has no cycle between
/// its device folders. A new folder must be given its layer here.
/// </summary>
public sealed class FolderDependencyTests
{
    private const string FirmwareRoot = "Terminal.Firmware.";
    private const string DriversRoot = "Terminal.Drivers.";

    /// <summary>Layer of every folder (namespace below Terminal.Firmware); a folder uses only lower layers.</summary>
    private static readonly Dictionary<string, int> FirmwareLayers = new(StringComparer.Ordinal)
    {
        // Primitives and ports: depend on nothing of the firmware.
        ["Text"] = 0,
        ["Crypto"] = 0,
        ["Checksums"] = 0,
        ["Encoding"] = 0,
        ["Money"] = 0,
        ["Ports"] = 0,
        ["Cpm"] = 0,

        // Formats and storage.
        ["Json"] = 1,
        ["Journal"] = 1,

        // The configuration file and its sections.
        ["Config"] = 2,

        // The Antom wire client: requests, signatures, answers; knows nothing of the payment flows.
        ["Payments.Antom"] = 3,

        // The payment engine: sales, refunds, voids, recovery, over the journal and the wire client.
        ["Payments"] = 4,

        // The transaction desk: jobs, phases, busy rules, the worker; publishes progress and results.
        ["Transactions"] = 5,

        // Front ends and outputs of the terminal.
        ["HostLink"] = 6,
        ["Screens"] = 6,

        // The self-test checks every module.
        ["Diagnostics"] = 7,

        // The composition and the main loop.
        ["App"] = 8,
    };

    [Fact]
    public void Firmware_folders_use_only_folders_of_lower_layers()
    {
        NamespaceGraph graph = Firmware();
        Assert.Empty(LayerViolations(graph, FirmwareLayers));
    }

    [Fact]
    public void Every_firmware_folder_has_a_layer()
    {
        NamespaceGraph graph = Firmware();
        Assert.DoesNotContain(graph.Nodes, n => !FirmwareLayers.ContainsKey(n));
        Assert.Contains("Payments.Antom", graph.Nodes);
    }

    [Fact]
    public void Firmware_folders_have_no_cycle()
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
        Assert.Equal(new[] { "Display", "Ports", "Qr", "Scanner" }, graph.Nodes);
    }

    [Fact]
    public void The_simulated_devices_reference_none_of_the_terminals_assemblies()
    {
        // They are the independent check of the drivers: written from the datasheets, not from the driver code.
        static string[] Ours(Type type) => type.Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!).Where(n => n.StartsWith("Terminal.", StringComparison.Ordinal)).Order().ToArray();

        Assert.Empty(Ours(typeof(Terminal.SimulatedDevices.Scanner.Gm65Model)));
        Assert.Equal(new[] { "Terminal.Drivers", "Terminal.Firmware" }, Ours(typeof(Terminal.Host.SystemSerialPort)).Where(n => n.EndsWith("Drivers", StringComparison.Ordinal) || n.EndsWith("Firmware", StringComparison.Ordinal)));
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

    private static NamespaceGraph Firmware() =>
        NamespaceGraph.Read(typeof(Terminal.Firmware.App.TerminalApp).Assembly.Location, ns => Below(ns, FirmwareRoot));

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
