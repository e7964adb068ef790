namespace Terminal.Loader.Boot
{
    /// <summary>
    /// The rules of the switch and the rollback (docs/ota.md, "The switch"), each one write of the boot record:
    /// <list type="bullet">
    /// <item>the application, once a version is staged and verified, calls <see cref="Switch"/> and restarts when idle;</item>
    /// <item>the loader calls <see cref="ChooseAtBoot"/>: a candidate is booted at most <see cref="BootState.MaxAttempts"/>
    /// times, each attempt counted before it is booted (a crash or a hang during the attempt still counts); the
    /// next boot rolls it back;</item>
    /// <item>the application calls <see cref="MarkHealthy"/> after its self-test and N minutes or M transactions, or
    /// <see cref="RollBack"/> when its self-test fails; the loader calls RollBack when the candidate cannot be loaded.</item>
    /// </list>
    /// A power cut during any write leaves the state before it, which is always a complete version to boot.
    /// </summary>
    public sealed class BootSelector
    {
        private readonly BootRecordFile _record;

        public BootSelector(ILoaderFolder folder)
        {
            _record = new BootRecordFile(folder);
        }

        public BootState State
        {
            get { return _record.Read(); }
        }

        /// <summary>The version to boot now ("" for the installed one); records the attempt or the rollback first.</summary>
        public string ChooseAtBoot()
        {
            BootState s = _record.Read();
            if (!s.OnTrial)
            {
                return s.Active;
            }

            if (s.Attempts >= BootState.MaxAttempts)
            {
                _record.Write(new BootState(s.Active, "", 0, s.Candidate, "not marked healthy in " + BootState.MaxAttempts + " boots"));
                return s.Active;
            }

            _record.Write(new BootState(s.Active, s.Candidate, s.Attempts + 1, s.RolledBack, s.Reason));
            return s.Candidate;
        }

        /// <summary>Puts <paramref name="version"/> (staged and verified) on trial from the next boot.</summary>
        public void Switch(string version)
        {
            if (version == null || version.Length == 0)
            {
                throw new System.ArgumentException("a version is required", "version");
            }

            BootState s = _record.Read();
            _record.Write(new BootState(s.Active, version, 0, s.RolledBack, s.Reason));
        }

        /// <summary>The candidate on trial is now the version known to work. False when none was on trial.</summary>
        public bool MarkHealthy()
        {
            BootState s = _record.Read();
            if (!s.OnTrial || s.Attempts == 0)
            {
                return false;
            }

            _record.Write(new BootState(s.Candidate, "", 0, s.RolledBack, s.Reason));
            return true;
        }

        /// <summary>The candidate on trial goes; the known version boots next. False when none was on trial.</summary>
        public bool RollBack(string reason)
        {
            BootState s = _record.Read();
            if (!s.OnTrial)
            {
                return false;
            }

            _record.Write(new BootState(s.Active, "", 0, s.Candidate, reason));
            return true;
        }
    }
}
