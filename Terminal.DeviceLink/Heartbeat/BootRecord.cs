using Terminal.Core.Ports;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// How often the terminal started and why the last run ended, kept in one storage record ("boot": count as
    /// uint32 little-endian, then 1 when the run before stopped on purpose). The reason the heartbeat reports:
    /// "first" (no record: new or re-flashed), "restart" (the previous run was stopped), "power" (it ended without
    /// stopping: power loss, reset or crash).
    /// </summary>
    public sealed class BootRecord
    {
        public const string RecordName = "boot";

        public const string First = "first";
        public const string Restart = "restart";
        public const string Power = "power";

        private const int Length = 5;

        private readonly IDurableStorage _storage;
        private readonly ILog _log;
        private readonly byte[] _bytes = new byte[Length];

        public BootRecord(IDurableStorage storage, ILog log)
        {
            _storage = storage;
            _log = log;
            Reason = First;
        }

        /// <summary>Starts counted since the record began, this one included.</summary>
        public long Count { get; private set; }

        /// <summary><see cref="First"/>, <see cref="Restart"/> or <see cref="Power"/>.</summary>
        public string Reason { get; private set; }

        /// <summary>The record could not be read or written.</summary>
        public bool Failed { get; private set; }

        /// <summary>At start: counts this boot and notes that it has not stopped yet. Never throws.</summary>
        public void Start()
        {
            try
            {
                int n = _storage.Read(RecordName, _bytes, 0, Length);
                if (n == Length)
                {
                    Count = (uint)(_bytes[0] | (_bytes[1] << 8) | (_bytes[2] << 16) | (_bytes[3] << 24));
                    Reason = _bytes[4] == 1 ? Restart : Power;
                }
                else
                {
                    Count = 0;
                    Reason = First;
                }

                Count++;
                Write(false);
            }
            catch (System.Exception e)
            {
                Fail(e);
            }
        }

        /// <summary>The terminal stops on purpose: the next start reports <see cref="Restart"/>. Never throws.</summary>
        public void Stopped()
        {
            try
            {
                Write(true);
            }
            catch (System.Exception e)
            {
                Fail(e);
            }
        }

        private void Write(bool stopped)
        {
            uint count = (uint)Count;
            _bytes[0] = (byte)count;
            _bytes[1] = (byte)(count >> 8);
            _bytes[2] = (byte)(count >> 16);
            _bytes[3] = (byte)(count >> 24);
            _bytes[4] = (byte)(stopped ? 1 : 0);
            _storage.Write(RecordName, _bytes, 0, Length);
        }

        private void Fail(System.Exception e)
        {
            Failed = true;
            if (_log != null)
            {
                _log.Write(LogLevel.Error, "boot record: " + e.Message);
            }
        }
    }
}
