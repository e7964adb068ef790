namespace Terminal.Drivers.Keypad
{
    /// <summary>
    /// A debounced keypad: <see cref="Scan"/> reads the matrix once (call it every few milliseconds, from one
    /// thread) and queues each key as it goes down; <see cref="TryTake"/> hands them out in order.
    /// <para>
    /// Debouncing: a reading counts only once the matrix has read the same for <see cref="DebounceMs"/>, so the
    /// contact bounce of a membrane (a few milliseconds after every press and release) never makes a second key,
    /// and a key held through many scans is one key. A press shorter than the debounce time plus one scan interval
    /// can be missed; human presses last 60 ms and more. Keys pressed together (mashed) each count once, in
    /// matrix order. Nothing here allocates.
    /// </para>
    /// </summary>
    public sealed class Keypad
    {
        /// <summary>Contacts must read alike this long (membrane bounce is under 10 ms).</summary>
        public const int DefaultDebounceMs = 15;

        private const int QueueCapacity = 16;

        private readonly IKeyMatrix _matrix;
        private readonly KeypadLayout _layout;
        private readonly char[] _queue = new char[QueueCapacity];
        private int _head;
        private int _count;
        private int _stable;
        private int _candidate;
        private long _candidateSince;

        public Keypad(IKeyMatrix matrix, KeypadLayout layout, int debounceMs)
        {
            if (matrix == null)
            {
                throw new System.ArgumentNullException("matrix");
            }

            if (layout == null)
            {
                throw new System.ArgumentNullException("layout");
            }

            _matrix = matrix;
            _layout = layout;
            DebounceMs = debounceMs;
        }

        public KeypadLayout Layout
        {
            get { return _layout; }
        }

        public int DebounceMs { get; private set; }

        /// <summary>Scans whose matrix read failed (the expander did not answer).</summary>
        public int ReadFailures { get; private set; }

        /// <summary>Keys lost because nobody took the earlier ones (more than 16 waiting).</summary>
        public int Dropped { get; private set; }

        /// <summary>Keys queued since start.</summary>
        public int Presses { get; private set; }

        /// <summary>True while a key is down after debouncing: false once a released key has been read open long enough.</summary>
        public bool AnyDown
        {
            get { return _stable != 0; }
        }

        /// <summary>Keys waiting to be taken.</summary>
        public int Waiting
        {
            get { return _count; }
        }

        /// <summary>Reads the matrix at <paramref name="nowMs"/> (monotonic) and queues the keys that went down.</summary>
        public void Scan(long nowMs)
        {
            int raw;
            if (!_matrix.Read(out raw))
            {
                ReadFailures++;
                return;
            }

            if (raw != _candidate)
            {
                _candidate = raw;
                _candidateSince = nowMs;
                return;
            }

            if (raw == _stable || nowMs - _candidateSince < DebounceMs)
            {
                return;
            }

            int down = raw & ~_stable;
            _stable = raw;
            int keys = _layout.Keys.Length;
            for (int bit = 0; bit < keys && down != 0; bit++)
            {
                if ((down & (1 << bit)) != 0)
                {
                    down &= ~(1 << bit);
                    Enqueue(_layout.KeyAt(bit));
                }
            }
        }

        /// <summary>The oldest key not yet taken; false when none is waiting.</summary>
        public bool TryTake(out char key)
        {
            if (_count == 0)
            {
                key = '\0';
                return false;
            }

            key = _queue[_head];
            _head = (_head + 1) % QueueCapacity;
            _count--;
            return true;
        }

        /// <summary>Forgets keys not yet taken (e.g. typed while the terminal was busy).</summary>
        public void Clear()
        {
            _head = 0;
            _count = 0;
        }

        private void Enqueue(char key)
        {
            if (_count == QueueCapacity)
            {
                Dropped++;
                return;
            }

            _queue[(_head + _count) % QueueCapacity] = key;
            _count++;
            Presses++;
        }
    }
}
