using Terminal.Firmware.HostLink;
using Terminal.Tests.Scanner;

namespace Terminal.Tests.HostLink;

/// <summary>A host link on an in-memory serial pair; the test plays the controller on end B.</summary>
internal sealed class HostLinkRig
{
    public HostLinkRig()
    {
        Pair = new InMemorySerialPair();
        Server = new HostLinkServer(Pair.A, Handler);
    }

    public InMemorySerialPair Pair { get; }

    public FakeHostLinkHandler Handler { get; } = new();

    public HostLinkServer Server { get; }

    /// <summary>Sends raw bytes, polls until they are consumed, returns the line bodies the terminal sent.</summary>
    public List<string> SendRaw(byte[] bytes)
    {
        Pair.A.Inject(bytes);
        while (Pair.A.Available > 0)
        {
            Server.Poll(0);
        }

        return Received();
    }

    /// <summary>Sends a request body with a correct checksum; returns what came back.</summary>
    public List<string> Request(string body) => SendRaw(Wire.Bytes(Wire.Line(body)));

    /// <summary>Everything the terminal sent since the last call, as checked line bodies.</summary>
    public List<string> Received() => Wire.Bodies(Pair.B.Drain());
}
