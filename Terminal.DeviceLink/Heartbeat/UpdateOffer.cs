namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// The update a heartbeat answer offers this terminal (docs/ota.md, "The offer"):
    /// <c>"update":{"version":"1.4.0","mac":"&lt;64 lower-case hex&gt;","downgrade":false}</c>. Filled in place by
    /// <see cref="HeartbeatAnswer"/> (one instance, reused); the answer is signed and bound to the beat's id, so an
    /// offer cannot be replayed. The MAC authenticates the bundle's manifest, which the update component fetches.
    /// </summary>
    public sealed class UpdateOffer
    {
        /// <summary>Longest version text (AppVersion: four numbers of at most five digits and three dots).</summary>
        public const int MaxVersionLength = 23;

        /// <summary>Bytes of the manifest's MAC (HMAC-SHA256).</summary>
        public const int MacLength = 32;

        private readonly byte[] _version = new byte[MaxVersionLength];
        private readonly byte[] _mac = new byte[MacLength];

        /// <summary>The version's ASCII bytes, <see cref="VersionLength"/> of them.</summary>
        public byte[] Version
        {
            get { return _version; }
        }

        public int VersionLength { get; internal set; }

        /// <summary>The manifest's MAC for this terminal.</summary>
        public byte[] Mac
        {
            get { return _mac; }
        }

        /// <summary>The rollout allows moving to an older version.</summary>
        public bool Downgrade { get; internal set; }

        /// <summary>True when the version is <paramref name="version"/> (compares without allocating).</summary>
        public bool IsVersion(string version)
        {
            if (version == null || version.Length != VersionLength)
            {
                return false;
            }

            for (int i = 0; i < VersionLength; i++)
            {
                if (_version[i] != version[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The version as text (allocates: call only for a new offer).</summary>
        public string VersionText()
        {
            char[] chars = new char[VersionLength];
            for (int i = 0; i < VersionLength; i++)
            {
                chars[i] = (char)_version[i];
            }

            return new string(chars);
        }

        internal void Clear()
        {
            VersionLength = 0;
            Downgrade = false;
            System.Array.Clear(_mac, 0, MacLength);
        }
    }
}
