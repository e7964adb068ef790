using Terminal.Core.Json;
using Terminal.Payments.Journal;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// Reads the gateway's answer to a heartbeat (docs/fleet-link.md), its signature already verified:
    /// <code>
    /// {"result":{"resultStatus":"S","resultCode":"SUCCESS","resultMessage":"success"},"beat":"9f86d081884c7d65",
    ///  "settings":{"version":8,"values":{"pollIntervalMs":3000}},
    ///  "resolutions":[{"kind":"sale","requestId":"T0001...","status":"CANCELLED","resultCode":"GATEWAY_CANCELLED"}],
    ///  "update":{"version":"1.4.0","mac":"&lt;64 lower-case hex&gt;","downgrade":false}}
    /// </code>
    /// Strict: one JSON object, no member twice, "beat" must repeat the request's. Members it does not know are
    /// skipped (later message versions). A malformed update offer does not spoil the rest of the answer: it is
    /// dropped (<see cref="OfferProblem"/> says why) and never acted on. The settings' values are left in place as a byte range; resolutions go
    /// into a pool of <see cref="MaxResolutions"/> (more are read at the next beat). Allocates nothing.
    /// </summary>
    public sealed class HeartbeatAnswer
    {
        /// <summary>Most resolutions taken from one answer (as many as a heartbeat reports references, twice).</summary>
        public const int MaxResolutions = 16;

        private const int Result = 1;
        private const int Beat = 2;
        private const int Settings = 4;
        private const int Resolutions = 8;
        private const int Update = 16;

        private readonly JsonReader _reader = new JsonReader(6, 512);
        private readonly byte[] _word = new byte[16];
        private readonly byte[] _hex = new byte[2 * UpdateOffer.MacLength];
        private readonly Resolution[] _resolutions = new Resolution[MaxResolutions];
        private readonly UpdateOffer _offer = new UpdateOffer();

        public HeartbeatAnswer()
        {
            for (int i = 0; i < MaxResolutions; i++)
            {
                _resolutions[i] = new Resolution();
            }
        }

        /// <summary>result.resultStatus was "S".</summary>
        public bool Succeeded { get; private set; }

        /// <summary>A settings version was offered.</summary>
        public bool HasSettings { get; private set; }

        public long SettingsVersion { get; private set; }

        /// <summary>Where the settings' values object lies in the buffer parsed (absolute offset).</summary>
        public int ValuesOffset { get; private set; }

        public int ValuesCount { get; private set; }

        public int ResolutionCount { get; private set; }

        /// <summary>A well-formed update offer came with the answer (<see cref="Offer"/>).</summary>
        public bool HasOffer { get; private set; }

        public UpdateOffer Offer
        {
            get { return _offer; }
        }

        /// <summary>Why the answer's update offer was dropped (a constant), or null.</summary>
        public string OfferProblem { get; private set; }

        public Resolution ResolutionAt(int index)
        {
            return _resolutions[index];
        }

        /// <summary>
        /// Parses <c>buffer[offset .. offset+count)</c>; false when it is not a well-formed answer to the beat whose id is
        /// <paramref name="beat"/> (16 bytes).
        /// </summary>
        public bool Parse(byte[] buffer, int offset, int count, byte[] beat)
        {
            Succeeded = false;
            HasSettings = false;
            SettingsVersion = 0;
            ResolutionCount = 0;
            HasOffer = false;
            OfferProblem = null;
            bool beatMatches = false;
            int seen = 0;
            JsonReader r = _reader;
            try
            {
                r.Reset(buffer, offset, count);
                if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    int member = r.ValueEquals("result") ? Result : r.ValueEquals("beat") ? Beat
                        : r.ValueEquals("settings") ? Settings : r.ValueEquals("resolutions") ? Resolutions
                        : r.ValueEquals("update") ? Update : 0;
                    if ((seen & member) != 0)
                    {
                        return false;
                    }

                    seen |= member;
                    r.Read();
                    switch (member)
                    {
                        case Result:
                            if (!ReadResult(r))
                            {
                                return false;
                            }

                            break;

                        case Beat:
                            beatMatches = r.TokenType == JsonTokenType.String && Equal(r, beat);
                            break;

                        case Settings:
                            if (!ReadSettings(r, offset))
                            {
                                return false;
                            }

                            break;

                        case Resolutions:
                            if (!ReadResolutions(r))
                            {
                                return false;
                            }

                            break;

                        case Update:
                            OfferProblem = ReadOffer(r);
                            HasOffer = OfferProblem == null;
                            break;

                        default:
                            r.Skip();
                            break;
                    }
                }

                while (r.Read())
                {
                }
            }
            catch (JsonException)
            {
                return false;
            }

            return beatMatches && (seen & Result) != 0;
        }

        private bool ReadResult(JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                bool status = r.ValueEquals("resultStatus");
                r.Read();
                if (status)
                {
                    Succeeded = r.TokenType == JsonTokenType.String && r.ValueEquals("S");
                }
                else
                {
                    r.Skip();
                }
            }

            return true;
        }

        private bool ReadSettings(JsonReader r, int offset)
        {
            if (r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            bool version = false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueEquals("version"))
                {
                    r.Read();
                    long v;
                    if (version || r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out v) || v < 0)
                    {
                        return false;
                    }

                    SettingsVersion = v;
                    version = true;
                }
                else if (r.ValueEquals("values"))
                {
                    r.Read();
                    if (HasSettings || r.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    int start = r.TokenStart;
                    r.Skip();
                    ValuesOffset = offset + start;
                    ValuesCount = r.TokenStart + 1 - start;
                    HasSettings = true;
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            if (HasSettings != version)
            {
                return false;
            }

            return true;
        }

        /// <summary>Reads the offer into <see cref="Offer"/>; null when well formed, else why not (the rest of the
        /// object is skipped, so the answer's other members still count).</summary>
        private string ReadOffer(JsonReader r)
        {
            _offer.Clear();
            if (r.TokenType != JsonTokenType.StartObject)
            {
                r.Skip();
                return "update offer is not an object";
            }

            string problem = null;
            bool version = false;
            bool mac = false;
            bool downgrade = false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                int field = r.ValueEquals("version") ? 1 : r.ValueEquals("mac") ? 2 : r.ValueEquals("downgrade") ? 3 : 0;
                r.Read();
                if ((field == 1 && version) || (field == 2 && mac) || (field == 3 && downgrade))
                {
                    problem = problem == null ? "update offer repeats a member" : problem;
                }

                switch (field)
                {
                    case 1:
                        version = true;
                        problem = problem == null && !ReadVersion(r) ? "update offer version is not a version" : problem;
                        break;
                    case 2:
                        mac = true;
                        problem = problem == null && !ReadMac(r) ? "update offer mac is not 64 lower-case hex digits" : problem;
                        break;
                    case 3:
                        downgrade = true;
                        if (r.TokenType == JsonTokenType.True || r.TokenType == JsonTokenType.False)
                        {
                            _offer.Downgrade = r.TokenType == JsonTokenType.True;
                        }
                        else
                        {
                            problem = problem == null ? "update offer downgrade is not true or false" : problem;
                        }

                        break;
                    default:
                        r.Skip();
                        break;
                }
            }

            if (problem == null && (!version || !mac || !downgrade))
            {
                problem = "update offer lacks version, mac or downgrade";
            }

            if (problem != null)
            {
                _offer.Clear();
            }

            return problem;
        }

        /// <summary>1 to 4 numbers of 1 to 5 digits, dot-separated (AppVersion's syntax; its range is checked later).</summary>
        private bool ReadVersion(JsonReader r)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                r.Skip();
                return false;
            }

            int n;
            try
            {
                n = r.CopyString(_offer.Version, 0, UpdateOffer.MaxVersionLength);
            }
            catch (JsonException)
            {
                return false;
            }

            byte[] v = _offer.Version;
            int numbers = 1;
            int digits = 0;
            for (int i = 0; i < n; i++)
            {
                if (v[i] == '.')
                {
                    if (digits == 0)
                    {
                        return false;
                    }

                    numbers++;
                    digits = 0;
                }
                else if (v[i] >= '0' && v[i] <= '9' && digits < 5)
                {
                    digits++;
                }
                else
                {
                    return false;
                }
            }

            if (digits == 0 || numbers > 4)
            {
                return false;
            }

            _offer.VersionLength = n;
            return true;
        }

        private bool ReadMac(JsonReader r)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                r.Skip();
                return false;
            }

            int n;
            try
            {
                n = r.CopyString(_hex, 0, _hex.Length);
            }
            catch (JsonException)
            {
                return false;
            }

            if (n != 2 * UpdateOffer.MacLength)
            {
                return false;
            }

            byte[] mac = _offer.Mac;
            for (int i = 0; i < UpdateOffer.MacLength; i++)
            {
                int high = Nibble(_hex[2 * i]);
                int low = Nibble(_hex[(2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    return false;
                }

                mac[i] = (byte)((high << 4) | low);
            }

            return true;
        }

        /// <summary>A lower-case hexadecimal digit's value, or -1.</summary>
        private static int Nibble(byte c)
        {
            return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        }

        private bool ReadResolutions(JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            while (r.Read() && r.TokenType == JsonTokenType.StartObject)
            {
                if (ResolutionCount == MaxResolutions)
                {
                    r.Skip();
                    continue;
                }

                Resolution entry = _resolutions[ResolutionCount];
                entry.Clear();
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    int field = r.ValueEquals("kind") ? 1 : r.ValueEquals("requestId") ? 2 : r.ValueEquals("status") ? 3 : r.ValueEquals("resultCode") ? 4 : 0;
                    r.Read();
                    if (field != 0 && r.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    switch (field)
                    {
                        case 1:
                            entry.Kind = r.ValueEquals("sale") ? TransactionKind.SaleOrderCode : r.ValueEquals("refund") ? TransactionKind.Refund
                                : r.ValueEquals("void") ? TransactionKind.Void : TransactionKind.None;
                            break;
                        case 2:
                            Copy(r, entry.RequestId);
                            break;
                        case 3:
                            entry.Status = r.ValueEquals("SUCCESS") ? FinalStatus.Success : r.ValueEquals("FAILED") ? FinalStatus.Failed
                                : r.ValueEquals("CANCELLED") ? FinalStatus.Cancelled : FinalStatus.None;
                            break;
                        case 4:
                            Copy(r, entry.ResultCode);
                            break;
                        default:
                            r.Skip();
                            break;
                    }
                }

                if (entry.Kind != TransactionKind.None && entry.Status != FinalStatus.None && !entry.RequestId.IsEmpty)
                {
                    ResolutionCount++;
                }
            }

            return r.TokenType == JsonTokenType.EndArray;
        }

        /// <summary>Copies an id (at most its capacity; a longer one is left empty and the entry ignored).</summary>
        private static void Copy(JsonReader r, Core.Text.TextField field)
        {
            byte[] bytes = field.Bytes;
            try
            {
                field.SetLength(r.CopyString(bytes, 0, field.Capacity));
            }
            catch (JsonException)
            {
                field.Clear();
            }
        }

        private bool Equal(JsonReader r, byte[] expected)
        {
            int n;
            try
            {
                n = r.CopyString(_word, 0, _word.Length);
            }
            catch (JsonException)
            {
                return false;
            }

            if (n != expected.Length)
            {
                return false;
            }

            int diff = 0;
            for (int i = 0; i < n; i++)
            {
                diff |= _word[i] ^ expected[i];
            }

            return diff == 0;
        }
    }
}
