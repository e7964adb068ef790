using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Terminal.Benchmarks.Display;

/// <summary>
/// Display refresh cost per operation: a full frame (reference), one second of the QR countdown and
/// one spinner step, on both controllers. The figures that matter on the device are the I2C columns
/// (deterministic, counted by a bus that records every write); time and allocations are for the PC build.
/// </summary>
[Config(typeof(DisplayTrafficConfig))]
[MemoryDiagnoser]
public class DisplayUpdateBenchmarks
{
    private DisplayScenario _full = null!;
    private DisplayScenario _countdown = null!;
    private DisplayScenario _spinner = null!;

    [Params(DisplayScenario.Ssd1306, DisplayScenario.Sh1106)]
    public string Controller { get; set; } = DisplayScenario.Ssd1306;

    [GlobalSetup]
    public void Setup()
    {
        _full = new DisplayScenario(Controller, nameof(FullFrame));
        _countdown = new DisplayScenario(Controller, nameof(CountdownTick));
        _spinner = new DisplayScenario(Controller, nameof(SpinnerStep));
    }

    [Benchmark(Baseline = true)]
    public bool FullFrame() => _full.FullFrame();

    [Benchmark]
    public bool CountdownTick() => _countdown.CountdownTick();

    [Benchmark]
    public bool SpinnerStep() => _spinner.SpinnerStep();
}

internal sealed class DisplayTrafficConfig : ManualConfig
{
    public DisplayTrafficConfig()
    {
        AddJob(Job.ShortRun);
        AddColumn(new TrafficColumn("I2C writes", t => t.Writes, "I2C write transactions per operation"));
        AddColumn(new TrafficColumn("I2C bytes", t => t.Wire, "Bytes on the wire per operation (address + control + commands + data)"));
        AddColumn(new TrafficColumn("Bytes ratio", t => t.Wire, "Wire bytes relative to a full frame on the same controller", relative: true));
        AddColumn(new TrafficColumn("Wire us @400kHz", t => t.Wire * 9 / 0.4, "Bus time per operation at 400 kHz: 9 clocks per byte"));
    }
}

/// <summary>A column computed by replaying the benchmark's operation on a counting bus.</summary>
internal sealed class TrafficColumn : IColumn
{
    private readonly Func<(double Writes, double Payload, double Wire), double> _value;
    private readonly bool _relative;

    public TrafficColumn(string name, Func<(double Writes, double Payload, double Wire), double> value, string legend, bool relative = false)
    {
        ColumnName = name;
        Legend = legend;
        _value = value;
        _relative = relative;
    }

    public string Id => nameof(TrafficColumn) + ColumnName;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        string controller = (string)benchmarkCase.Parameters[nameof(DisplayUpdateBenchmarks.Controller)];
        string workload = benchmarkCase.Descriptor.WorkloadMethod.Name;
        double value = _value(DisplayScenario.Traffic(controller, workload));
        if (_relative)
        {
            double full = _value(DisplayScenario.Traffic(controller, nameof(DisplayUpdateBenchmarks.FullFrame)));
            return (value / full).ToString("0.000");
        }

        return value.ToString(value == Math.Floor(value) ? "0" : "0.0");
    }
}
