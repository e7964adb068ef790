namespace Terminal.Loader.Boot
{
    /// <summary>
    /// Which application version the loader boots (docs/ota.md, "The switch"). <see cref="Active"/> is the version
    /// known to work ("" is the one installed with the loader); <see cref="Candidate"/>, when not empty, is a staged
    /// version on trial, booted <see cref="Attempts"/> times so far without being marked healthy. The last rollback
    /// (version and reason) stays for the heartbeat to report.
    /// </summary>
    public sealed class BootState
    {
        /// <summary>Boots of a candidate without the healthy mark after which it is rolled back.</summary>
        public const int MaxAttempts = 3;

        /// <summary>Longest version text kept.</summary>
        public const int MaxVersionLength = 23;

        /// <summary>Longest rollback reason kept (longer reasons are cut).</summary>
        public const int MaxReasonLength = 96;

        public BootState(string active, string candidate, int attempts, string rolledBack, string reason)
        {
            Active = Text(active, MaxVersionLength);
            Candidate = Text(candidate, MaxVersionLength);
            Attempts = attempts < 0 ? 0 : attempts > 255 ? 255 : attempts;
            RolledBack = Text(rolledBack, MaxVersionLength);
            Reason = Text(reason, MaxReasonLength);
        }

        public string Active { get; private set; }

        public string Candidate { get; private set; }

        public int Attempts { get; private set; }

        public string RolledBack { get; private set; }

        public string Reason { get; private set; }

        /// <summary>A candidate is on trial.</summary>
        public bool OnTrial
        {
            get { return Candidate.Length > 0; }
        }

        /// <summary>A device fresh from flashing: the installed version, nothing on trial.</summary>
        public static BootState Installed()
        {
            return new BootState("", "", 0, "", "");
        }

        /// <summary>Printable ASCII only (the record's format; a reason may come from any exception's message): other
        /// characters become '?'; longer text is cut.</summary>
        private static string Text(string s, int max)
        {
            if (s == null)
            {
                return "";
            }

            int length = s.Length > max ? max : s.Length;
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                char c = s[i];
                chars[i] = c < ' ' || c > '~' ? '?' : c;
            }

            return new string(chars);
        }
    }
}
