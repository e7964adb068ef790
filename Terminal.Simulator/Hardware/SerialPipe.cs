using Terminal.Drivers.Ports;

namespace Terminal.Simulator.Hardware;

/// <summary>
/// A serial cable in memory: bytes written to one end are read from the other, with real blocking reads (the
/// firmware's main loop waits on them as it waits on a UART). Thread-safe; each end may have one reader and any
/// number of writers.
/// </summary>
public sealed class SerialPipe
{
    public SerialPipe()
    {
        A = new End();
        B = new End();
        A.Peer = B;
        B.Peer = A;
    }

    /// <summary>The firmware's end.</summary>
    public End A { get; }

    /// <summary>The device's end (the simulated scanner module, or the simulated register).</summary>
    public End B { get; }

    public sealed class End : ISerialPort
    {
        private readonly Queue<byte> _inbound = new();
        private readonly object _gate = new();

        internal End Peer { get; set; } = null!;

        /// <summary>Sees every write through this end (e.g. to echo host-link lines); called on the writer's thread.</summary>
        public Action<byte[], int, int>? Tap { get; set; }

        /// <summary>Bytes waiting to be read.</summary>
        public int Available
        {
            get
            {
                lock (_gate)
                {
                    return _inbound.Count;
                }
            }
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            lock (_gate)
            {
                if (_inbound.Count == 0 && timeoutMs > 0)
                {
                    long deadline = Environment.TickCount64 + timeoutMs;
                    while (_inbound.Count == 0)
                    {
                        long left = deadline - Environment.TickCount64;
                        if (left <= 0 || !Monitor.Wait(_gate, (int)left))
                        {
                            break;
                        }
                    }
                }

                int n = 0;
                while (n < count && _inbound.Count > 0)
                {
                    buffer[offset + n++] = _inbound.Dequeue();
                }

                return n;
            }
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            Tap?.Invoke(buffer, offset, count);
            Peer.Deliver(buffer, offset, count);
        }

        /// <summary>Drops everything not yet read (a reconnected cable).</summary>
        public void Clear()
        {
            lock (_gate)
            {
                _inbound.Clear();
            }
        }

        private void Deliver(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                for (int i = 0; i < count; i++)
                {
                    _inbound.Enqueue(buffer[offset + i]);
                }

                Monitor.PulseAll(_gate);
            }
        }
    }
}
