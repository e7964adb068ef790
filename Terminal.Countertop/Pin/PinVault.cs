using Terminal.Core.Crypto;
using Terminal.Core.Ports;

namespace Terminal.Countertop.Pin
{
    /// <summary>
    /// The merchant menu's PIN and the count of wrong tries, both kept in one durable record (<see cref="RecordName"/>)
    /// so that neither a reboot nor a power cut resets them: the PIN starts as the configuration's menuPin and a PIN
    /// changed from the menu replaces it in the record. After <see cref="FreeTries"/> wrong tries in a row every
    /// further try waits: 30 s after the fifth, doubling with each wrong try after it up to an hour (a reboot
    /// starts the wait again, it never shortens it). A right PIN clears the count. Checks compare in fixed time.
    /// <para>Record: version 1, wrong tries (4 bytes, big-endian), iterations (4), salt (16), hash (32).</para>
    /// </summary>
    public sealed class PinVault
    {
        public const string RecordName = "menupin";
        public const int FreeTries = 5;
        public const long FirstLockMs = 30000;
        public const long MaxLockMs = 3600000;

        /// <summary>New PINs are derived with this many iterations (docs/countertop.md: the check's time on the device).</summary>
        public const int NewPinIterations = 2000;

        private const byte Version = 1;
        private const int RecordLength = 1 + 4 + 4 + PinHash.SaltSize + PinHash.HashSize;

        private readonly IDurableStorage _storage;
        private readonly IMac _mac;
        private readonly IRandom _random;
        private readonly ILog _log;
        private readonly byte[] _salt = new byte[PinHash.SaltSize];
        private readonly byte[] _hash = new byte[PinHash.HashSize];
        private readonly byte[] _tried = new byte[PinHash.HashSize];
        private readonly byte[] _record = new byte[RecordLength];
        private int _iterations;
        private int _wrongTries;
        private long _lockedUntil;

        /// <param name="mac">Any HMAC-SHA256; it is keyed with each PIN tried (<see cref="IMac.WithKey"/>).</param>
        public PinVault(IDurableStorage storage, IMac mac, IRandom random, ILog log)
        {
            _storage = storage;
            _mac = mac;
            _random = random;
            _log = log;
        }

        /// <summary>True once a PIN is set (configuration or menu).</summary>
        public bool IsSet
        {
            get { return _iterations > 0; }
        }

        /// <summary>Wrong tries in a row (kept across reboots).</summary>
        public int WrongTries
        {
            get { return _wrongTries; }
        }

        /// <summary>
        /// Loads the record; without one, the configuration's <paramref name="configuredPin"/> (a <see cref="PinHash"/>
        /// text, or null for none). A wait owed from before the reboot starts again at <paramref name="nowMs"/>.
        /// </summary>
        public void Load(string configuredPin, long nowMs)
        {
            int length = -1;
            try
            {
                length = _storage.Read(RecordName, _record, 0, _record.Length);
            }
            catch (System.Exception e)
            {
                Log(LogLevel.Error, "menu: the PIN record could not be read: " + e.Message);
            }

            if (length == RecordLength && _record[0] == Version)
            {
                _wrongTries = ReadInt(1);
                _iterations = ReadInt(5);
                System.Array.Copy(_record, 9, _salt, 0, PinHash.SaltSize);
                System.Array.Copy(_record, 9 + PinHash.SaltSize, _hash, 0, PinHash.HashSize);
            }
            else
            {
                string problem;
                _iterations = configuredPin == null || configuredPin.Length == 0 ? 0 : PinHash.Parse(configuredPin, _salt, _hash, out problem);
                if (_iterations < 0)
                {
                    _iterations = 0;
                }
            }

            _lockedUntil = _wrongTries >= FreeTries ? nowMs + LockMs(_wrongTries) : 0;
        }

        /// <summary>How long the menu stays locked from <paramref name="nowMs"/> (0: a try is allowed).</summary>
        public long LockedForMs(long nowMs)
        {
            return _lockedUntil > nowMs ? _lockedUntil - nowMs : 0;
        }

        /// <summary>Checks <paramref name="pin"/>; a wrong one is counted in the record before the answer.</summary>
        public PinCheck Check(string pin, long nowMs)
        {
            if (!IsSet)
            {
                return PinCheck.NotSet;
            }

            if (LockedForMs(nowMs) > 0)
            {
                return PinCheck.Locked;
            }

            bool right = PinHash.IsValidPin(pin);
            if (right)
            {
                PinHash.Derive(_mac, pin, _salt, _iterations, _tried);
                right = FixedTime.Equals(_tried, 0, _hash, 0, PinHash.HashSize);
            }

            if (right)
            {
                if (_wrongTries != 0)
                {
                    _wrongTries = 0;
                    Save();
                }

                return PinCheck.Accepted;
            }

            _wrongTries++;
            Save();
            Log(LogLevel.Warning, "menu: wrong PIN (" + _wrongTries + " in a row)");
            if (_wrongTries >= FreeTries)
            {
                _lockedUntil = nowMs + LockMs(_wrongTries);
                return PinCheck.Locked;
            }

            return PinCheck.Wrong;
        }

        /// <summary>Sets a new PIN (4..8 digits) with a fresh salt; false when it is not valid or could not be stored.</summary>
        public bool Change(string pin)
        {
            if (!PinHash.IsValidPin(pin))
            {
                return false;
            }

            _random.NextBytes(_salt, 0, PinHash.SaltSize);
            PinHash.Derive(_mac, pin, _salt, NewPinIterations, _hash);
            _iterations = NewPinIterations;
            _wrongTries = 0;
            return Save();
        }

        /// <summary>The wait after <paramref name="wrongTries"/> wrong tries: 30 s at five, doubling, at most an hour.</summary>
        public static long LockMs(int wrongTries)
        {
            if (wrongTries < FreeTries)
            {
                return 0;
            }

            long ms = FirstLockMs;
            for (int i = FreeTries; i < wrongTries && ms < MaxLockMs; i++)
            {
                ms *= 2;
            }

            return ms > MaxLockMs ? MaxLockMs : ms;
        }

        private bool Save()
        {
            _record[0] = Version;
            WriteInt(1, _wrongTries);
            WriteInt(5, _iterations);
            System.Array.Copy(_salt, 0, _record, 9, PinHash.SaltSize);
            System.Array.Copy(_hash, 0, _record, 9 + PinHash.SaltSize, PinHash.HashSize);
            try
            {
                _storage.Write(RecordName, _record, 0, _record.Length);
                return true;
            }
            catch (System.Exception e)
            {
                Log(LogLevel.Error, "menu: the PIN record could not be written: " + e.Message);
                return false;
            }
        }

        private int ReadInt(int at)
        {
            return (_record[at] << 24) | (_record[at + 1] << 16) | (_record[at + 2] << 8) | _record[at + 3];
        }

        private void WriteInt(int at, int value)
        {
            _record[at] = (byte)(value >> 24);
            _record[at + 1] = (byte)(value >> 16);
            _record[at + 2] = (byte)(value >> 8);
            _record[at + 3] = (byte)value;
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }
    }
}
