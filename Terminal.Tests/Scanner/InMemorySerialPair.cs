using Terminal.Drivers.Ports;
using Terminal.Tests.Support;

namespace Terminal.Tests.Scanner;

/// <summary>
/// Two linked in-memory serial ends: bytes written to one are read from the other. Single-threaded and
/// deterministic: a read with nothing buffered returns 0 at once and advances the shared <see cref="FakeClock"/>
/// by its timeout (as if it had waited); a read that returns bytes advances it by one millisecond per
/// 10 bytes (about the wire time at 115200 baud, well under any idle gap). A peer can react to writes
/// synchronously through <see cref="End.Written"/>, which is how the simulated module answers commands.
/// </summary>
public sealed class InMemorySerialPair
{
    public InMemorySerialPair(FakeClock? clock = null)
    {
        Clock = clock ?? new FakeClock();
        A = new End(Clock);
        B = new End(Clock);
        A.Peer = B;
        B.Peer = A;
    }

    public FakeClock Clock { get; }

    /// <summary>The host's end (the driver under test).</summary>
    public End A { get; }

    /// <summary>The device's end (simulated module or controller).</summary>
    public End B { get; }

    public sealed class End : ISerialPort
    {
        private readonly Queue<byte> _inbound = new();
        private readonly FakeClock _clock;

        internal End(FakeClock clock) => _clock = clock;

        internal End Peer { get; set; } = null!;

        /// <summary>Called after bytes were written to this end's peer... i.e. when this end has new input.</summary>
        public Action? Written { get; set; }

        /// <summary>When set, Write throws (the cable is pulled).</summary>
        public bool Disconnected { get; set; }

        /// <summary>When set, Read throws.</summary>
        public bool ReadFails { get; set; }

        /// <summary>Every byte written through this end, for assertions.</summary>
        public List<byte> WrittenLog { get; } = new();

        public int Available => _inbound.Count;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (ReadFails)
            {
                throw new IOException("port gone");
            }

            if (_inbound.Count == 0)
            {
                _clock.Advance(Math.Max(timeoutMs, 0));
                return 0;
            }

            int n = 0;
            while (n < count && _inbound.Count > 0)
            {
                buffer[offset + n++] = _inbound.Dequeue();
            }

            _clock.Advance(1 + n / 10);
            return n;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            if (Disconnected)
            {
                throw new IOException("cable pulled");
            }

            for (int i = 0; i < count; i++)
            {
                WrittenLog.Add(buffer[offset + i]);
            }

            Peer.Deliver(buffer, offset, count);
        }

        /// <summary>Puts bytes into this end's input as if the peer had sent them (no Written callback).</summary>
        public void Inject(params byte[] bytes)
        {
            foreach (byte b in bytes)
            {
                _inbound.Enqueue(b);
            }
        }

        /// <summary>Takes everything buffered for reading.</summary>
        public byte[] Drain()
        {
            byte[] all = _inbound.ToArray();
            _inbound.Clear();
            return all;
        }

        private void Deliver(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _inbound.Enqueue(buffer[offset + i]);
            }

            Written?.Invoke();
        }
    }
}
