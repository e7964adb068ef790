using Terminal.Core.Config;
using Terminal.Core.Json;
using Terminal.Core.Ports;

namespace Terminal.DeviceLink.Settings
{
    /// <summary>
    /// The terminal's remote settings (docs/fleet-link.md, "Remote settings"): the values the gateway sent last, over
    /// terminal.json's, versioned, kept across reboots and applied between transactions without one.
    /// <list type="number">
    /// <item>A new version is checked with the configuration's own rules (<see cref="SettingsCheck"/>): an unknown key,
    /// a key that is not remote (keys, Wi-Fi, pins), a value out of its remote bounds or a combination a section refuses
    /// rejects the whole version, which is then reported with its field and reason and never applied.</item>
    /// <item>An accepted version is written to storage first (one self-verifying record, so a power cut at any byte
    /// leaves the previous version or this one), then applied: every remote key back to its terminal.json value,
    /// then the version's values.</item>
    /// <item>At boot the stored version is checked again (a firmware update may have changed the rules) and applied.</item>
    /// </list>
    /// Called on the desk's worker (heartbeat answers) and at start; its state is read by DIAG and the heartbeat.
    /// </summary>
    public sealed class RemoteSettings
    {
        /// <summary>The storage record that holds the applied version.</summary>
        public const string RecordName = "settings";

        private const string VersionKey = "version";
        private const string ValuesKey = "values";

        private readonly ConfigSection[] _live;
        private readonly SectionsFactory _factory;
        private readonly IDurableStorage _storage;
        private readonly ILog _log;

        // The remote keys as terminal.json set them, before any remote version was applied.
        private readonly byte[] _base;

        private long _applied;
        private long _rejected;
        private string _rejectedField;
        private string _rejectedReason;
        private int _storageFailures;

        /// <param name="live">The terminal's configuration sections (remote values are applied to them).</param>
        /// <param name="factory">Fresh sections with their defaults, to check a version on before applying it.</param>
        public RemoteSettings(ConfigSection[] live, SectionsFactory factory, IDurableStorage storage, ILog log)
        {
            if (live == null || factory == null || storage == null)
            {
                throw new System.ArgumentNullException(live == null ? "live" : factory == null ? "factory" : "storage");
            }

            _live = live;
            _factory = factory;
            _storage = storage;
            _log = log;
            _base = SettingsCheck.RemoteValues(live);
        }

        /// <summary>Told after a version was applied (on the thread that applied it).</summary>
        public SettingsApplied Applied { get; set; }

        /// <summary>The version in effect; 0 when the gateway never sent one.</summary>
        public long AppliedVersion
        {
            get { return _applied; }
        }

        /// <summary>The last version refused (0 when none since the last one applied).</summary>
        public long RejectedVersion
        {
            get { return _rejected; }
        }

        /// <summary>The key that made <see cref="RejectedVersion"/> fail.</summary>
        public string RejectedField
        {
            get { return _rejectedField; }
        }

        /// <summary>Why, as the rule says it, e.g. "must be 1000..10000".</summary>
        public string RejectedReason
        {
            get { return _rejectedReason; }
        }

        /// <summary>Writes of the settings record that failed.</summary>
        public int StorageFailures
        {
            get { return _storageFailures; }
        }

        /// <summary>At start: applies the stored version, if any, after checking it again. Never throws for storage.</summary>
        public void Load()
        {
            byte[] record;
            try
            {
                int length = _storage.Read(RecordName, new byte[0], 0, 0);
                if (length < 0)
                {
                    return;
                }

                record = new byte[length];
                if (_storage.Read(RecordName, record, 0, length) != length)
                {
                    Log(LogLevel.Error, "settings: stored record changed while read; terminal.json values used");
                    return;
                }
            }
            catch (System.Exception e)
            {
                _storageFailures++;
                Log(LogLevel.Error, "settings: stored record unreadable: " + e.Message);
                return;
            }

            long version;
            int valuesStart;
            int valuesCount;
            if (!ParseRecord(record, out version, out valuesStart, out valuesCount))
            {
                Log(LogLevel.Error, "settings: stored record malformed; terminal.json values used");
                return;
            }

            SettingsProblem problem = SettingsCheck.Check(record, valuesStart, valuesCount, _factory, _live, _base);
            if (problem != null)
            {
                Reject(version, problem);
                return;
            }

            Apply(version, record, valuesStart, valuesCount);
        }

        /// <summary>
        /// A version from the gateway (the <c>values</c> object at <c>json[offset .. offset+count)</c>): checked, stored,
        /// applied. True when it is now in effect; false when rejected (see <see cref="RejectedField"/>) or when it could
        /// not be stored (it is then neither applied nor rejected, and the gateway offers it again).
        /// </summary>
        public bool Offer(long version, byte[] json, int offset, int count)
        {
            if (version == _applied)
            {
                return true;
            }

            if (version == _rejected && _rejected != 0)
            {
                return false;
            }

            SettingsProblem problem = SettingsCheck.Check(json, offset, count, _factory, _live, _base);
            if (problem != null)
            {
                Reject(version, problem);
                return false;
            }

            byte[] record = Record(version, json, offset, count);
            try
            {
                _storage.Write(RecordName, record, 0, record.Length);
            }
            catch (System.Exception e)
            {
                _storageFailures++;
                Log(LogLevel.Error, "settings: version " + version + " not stored, not applied: " + e.Message);
                return false;
            }

            int header = record.Length - count - 1;
            Apply(version, record, header, count);
            return true;
        }

        /// <summary>DIAG: the version in effect and the last one refused.</summary>
        public string DiagnosticLine()
        {
            string line = "settings " + (_applied == 0 ? "terminal.json only" : "version " + _applied + " applied");
            return _rejected == 0 ? line : line + "; version " + _rejected + " rejected: " + _rejectedField + " " + _rejectedReason;
        }

        private void Apply(long version, byte[] json, int offset, int count)
        {
            try
            {
                ConfigRules rules = ConfigRules.Of(_live);
                SettingsCheck.Restore(rules, _base, 0, _base.Length);
                SettingsCheck.ReadRemote(rules, json, offset, count);
            }
            catch (System.Exception e)
            {
                // Checked on a copy just before: a failure here is a bug, not the gateway's.
                Log(LogLevel.Error, "settings: version " + version + " failed while applied: " + e.Message);
                return;
            }

            _applied = version;
            _rejected = 0;
            _rejectedField = null;
            _rejectedReason = null;
            Log(LogLevel.Info, "settings: version " + version + " applied");
            SettingsApplied applied = Applied;
            if (applied != null)
            {
                applied();
            }
        }

        private void Reject(long version, SettingsProblem problem)
        {
            _rejected = version;
            _rejectedField = problem.Field;
            _rejectedReason = problem.Reason;
            Log(LogLevel.Warning, "settings: version " + version + " rejected: " + problem.Field + " " + problem.Reason);
        }

        /// <summary>The stored form: <c>{"version":N,"values":{...}}</c> with the values' exact bytes.</summary>
        private static byte[] Record(long version, byte[] json, int offset, int count)
        {
            string head = "{\"" + VersionKey + "\":" + version + ",\"" + ValuesKey + "\":";
            byte[] record = new byte[head.Length + count + 1];
            for (int i = 0; i < head.Length; i++)
            {
                record[i] = (byte)head[i];
            }

            System.Array.Copy(json, offset, record, head.Length, count);
            record[record.Length - 1] = (byte)'}';
            return record;
        }

        private static bool ParseRecord(byte[] record, out long version, out int valuesStart, out int valuesCount)
        {
            version = -1;
            valuesStart = -1;
            valuesCount = 0;
            JsonReader r = new JsonReader(4, 1024);
            try
            {
                r.Reset(record, 0, record.Length);
                if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueEquals(VersionKey))
                    {
                        r.Read();
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out version) || version < 0)
                        {
                            return false;
                        }
                    }
                    else if (r.ValueEquals(ValuesKey))
                    {
                        r.Read();
                        if (r.TokenType != JsonTokenType.StartObject)
                        {
                            return false;
                        }

                        valuesStart = r.TokenStart;
                        r.Skip();
                        valuesCount = r.TokenStart + 1 - valuesStart;
                    }
                    else
                    {
                        r.Read();
                        r.Skip();
                    }
                }

                while (r.Read())
                {
                }
            }
            catch (Core.Json.JsonException)
            {
                return false;
            }

            return version >= 0 && valuesStart > 0;
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
