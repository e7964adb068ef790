using System.Text;
using Terminal.Drivers.MdbBridge;
using Terminal.SimulatedDevices.Mdb;
using Terminal.Tests.Scanner;
using Xunit;

namespace Terminal.Tests.Vending;

/// <summary>
/// The MDB bridge driver on its own (docs/vending.md section 5): its set-up and decisions as the strict model of
/// the Qibixx bridge takes them, and everything wrong that can come back on the line: noise, over-long lines,
/// lines split across reads, the bridge's error lines, malformed vend requests. Single-threaded over an in-memory
/// cable; the model answers when pumped.
/// </summary>
public sealed class MdbBridgeTests
{
    private readonly InMemorySerialPair _cable = new();
    private readonly QibixxBridgeModel _model;
    private readonly MdbBridge _bridge;

    public MdbBridgeTests()
    {
        _model = new QibixxBridgeModel(_cable.B.Read, _cable.B.Write);
        _bridge = new MdbBridge(_cable.A, 2);
    }

    [Fact]
    public void Set_up_is_taken_setting_by_setting_and_the_device_comes_on_inactive()
    {
        _bridge.Start(0x60, 978, 5, alwaysIdle: true, responseTimeS: 30);
        _model.Pump();

        Assert.Equal(0, _model.ProtocolErrors);
        Assert.Equal((true, 0x60, 0x1978, 5, 2, true, 30), (_model.On, _model.Address, _model.CurrencyCode, _model.ScaleFactor, _model.DecimalPlaces, _model.AlwaysIdle, _model.ResponseTimeS));
        Assert.Equal(
            [BridgeEvent.Offline, BridgeEvent.SetOk, BridgeEvent.SetOk, BridgeEvent.SetOk, BridgeEvent.SetOk, BridgeEvent.SetOk, BridgeEvent.SetOk, BridgeEvent.Inactive],
            Drain());
        Assert.Equal(_model.HostBytesIn, _bridge.BytesSent);
        Assert.Equal(_model.HostBytesOut, _bridge.BytesReceived);
    }

    [Fact]
    public void A_setting_sent_while_the_device_is_on_is_refused_and_the_refusal_reaches_the_driver()
    {
        // Negative control for the model's strictness: settings are taken only while the device is off.
        _bridge.Start(0x10, 840, 1, false, 60);
        _model.Pump();
        Drain();
        _cable.A.Write(Encoding.ASCII.GetBytes("C,SETCONF,mdb-scale-factor=2\n"), 0, 29);
        _model.Pump();

        Assert.Equal(1, _model.ProtocolErrors);
        Assert.Equal([BridgeEvent.Error], Drain());
        Assert.Equal("c,ERR,\"cashless must be off\"", _bridge.LastError);
    }

    [Fact]
    public void An_approval_the_machine_no_longer_waits_for_comes_back_as_an_error_line_not_a_protocol_error()
    {
        _bridge.Start(0x10, 840, 1, false, 60);
        _model.Pump();
        Drain();
        _bridge.Approve(150);
        _model.Pump();

        Assert.Equal([BridgeEvent.Error], Drain());
        Assert.Equal((0, 1), (_model.ProtocolErrors, _model.LateRequests));
    }

    [Fact]
    public void Noise_and_over_long_lines_are_dropped_and_the_next_line_still_reads()
    {
        Inject("\r\n\n#garbage\x01\xff\n");
        Inject(new string('x', MdbBridge.MaxLine + 40) + "\n");
        Inject("c,STATUS,ENABLED\r\n");

        Assert.Equal([BridgeEvent.Other, BridgeEvent.Enabled], Drain());
        Assert.Equal(1, _bridge.DroppedLines);
    }

    [Fact]
    public void A_line_split_across_reads_is_read_once_whole()
    {
        Inject("c,STATUS,VE");
        Assert.Equal(BridgeEvent.None, _bridge.Poll(0));
        Inject("ND,2.50,");
        Assert.Equal(BridgeEvent.None, _bridge.Poll(0));
        Inject("7\n");

        Assert.Equal(BridgeEvent.VendRequest, _bridge.Poll(0));
        Assert.Equal((250L, 7), (_bridge.Amount, _bridge.Item));
        Assert.Equal(BridgeEvent.None, _bridge.Poll(0));
    }

    [Theory]
    [InlineData("c,STATUS,VEND,1.505,12")]
    [InlineData("c,STATUS,VEND,-1.00,12")]
    [InlineData("c,STATUS,VEND,1e2,12")]
    [InlineData("c,STATUS,VEND,1.00,70000")]
    [InlineData("c,STATUS,VEND,1.00,")]
    [InlineData("c,STATUS,VEND,1.00")]
    [InlineData("c,STATUS,VEND,,12")]
    [InlineData("c,STATUS,VEND,.50,12")]
    [InlineData("c,STATUS,VEND,1.,12")]
    [InlineData("c,STATUS,VEND,1234567890123,12")]
    public void A_malformed_vend_request_is_an_error_and_never_a_price(string line)
    {
        Inject("c,STATUS,VEND,3.00,4\n");
        Assert.Equal(BridgeEvent.VendRequest, _bridge.Poll(0));

        Inject(line + "\n");
        Assert.Equal(BridgeEvent.Error, _bridge.Poll(0));
        Assert.Equal(line, _bridge.LastError);
        Assert.Equal((300L, 4), (_bridge.Amount, _bridge.Item));
    }

    [Theory]
    [InlineData("c,STATUS,VEND,1.50,12", 2, 150L, 12)]
    [InlineData("c,STATUS,VEND,2,65535", 2, 200L, 65535)]
    [InlineData("c,STATUS,VEND,2.5,1", 2, 250L, 1)]
    [InlineData("c,STATUS,VEND,150,3", 0, 150L, 3)]
    [InlineData("c,STATUS,VEND,0.125,3", 3, 125L, 3)]
    public void Vend_requests_are_read_in_minor_units_of_the_bridge_decimals(string line, int decimals, long amount, int item)
    {
        var bridge = new MdbBridge(_cable.A, decimals);
        Inject(line + "\n");
        Assert.Equal(BridgeEvent.VendRequest, bridge.Poll(0));
        Assert.Equal((amount, item), (bridge.Amount, bridge.Item));
    }

    [Fact]
    public void Error_text_with_bytes_outside_printable_ascii_is_kept_readable()
    {
        Inject("c,ERR,bad\x07\xc3\n");
        Assert.Equal(BridgeEvent.Error, _bridge.Poll(0));
        Assert.Equal("c,ERR,bad??", _bridge.LastError);
    }

    [Fact]
    public void Polling_an_idle_line_and_reading_state_lines_allocate_nothing()
    {
        for (int i = 0; i < 3; i++)
        {
            _bridge.Poll(0);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _bridge.Poll(0);
        }

        long idle = GC.GetAllocatedBytesForCurrentThread() - before;
        byte[] lines = Encoding.ASCII.GetBytes("c,STATUS,IDLE\nc,STATUS,VEND,1.50,12\nc,VEND,SUCCESS\n");
        long reading = 0;
        for (int i = 0; i < 100; i++)
        {
            _cable.B.Write(lines, 0, lines.Length);
            before = GC.GetAllocatedBytesForCurrentThread();
            while (_bridge.Poll(0) != BridgeEvent.None)
            {
            }

            reading += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, idle);
        Assert.Equal(0, reading);
    }

    private void Inject(string text) => _cable.A.Inject(Encoding.Latin1.GetBytes(text));

    private BridgeEvent[] Drain()
    {
        var events = new List<BridgeEvent>();
        BridgeEvent e;
        while ((e = _bridge.Poll(0)) != BridgeEvent.None)
        {
            events.Add(e);
        }

        return events.ToArray();
    }
}
