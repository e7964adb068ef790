namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// Collects the results of known-answer checks. Each check prints one line, "PASS name" or
    /// "FAIL name: detail"; <see cref="Summary"/> is the closing line "N passed, M failed".
    /// </summary>
    public sealed class SelfTestReport
    {
        private readonly SelfTestOutput _output;

        public SelfTestReport(SelfTestOutput output)
        {
            _output = output;
        }

        public int Passed { get; private set; }

        public int Failed { get; private set; }

        public string Summary
        {
            get { return Passed + " passed, " + Failed + " failed"; }
        }

        /// <summary>Records one check. <paramref name="detail"/> is printed only on failure.</summary>
        public void Check(string name, bool ok, string detail = null)
        {
            if (ok)
            {
                Passed++;
                Write("PASS " + name);
            }
            else
            {
                Failed++;
                Write(detail == null ? "FAIL " + name : "FAIL " + name + ": " + detail);
            }
        }

        /// <summary>Records a check that compares a byte range with the expected bytes.</summary>
        public void CheckBytes(string name, byte[] expected, byte[] actual, int actualOffset, int actualCount)
        {
            bool ok = actualCount == expected.Length;
            for (int i = 0; ok && i < actualCount; i++)
            {
                ok = expected[i] == actual[actualOffset + i];
            }

            Check(name, ok, ok ? null : "bytes differ");
        }

        /// <summary>Runs one probe: a null answer is a pass, text is what differed, an exception is a crash.</summary>
        public void Run(string name, SelfTestProbe probe)
        {
            try
            {
                string problem = probe();
                Check(name, problem == null, problem);
            }
            catch (System.Exception e)
            {
                Crashed(name, e);
            }
        }

        /// <summary>Runs one check that answers pass or fail; an exception is a crash.</summary>
        public void Run(string name, SelfTestCheck check)
        {
            try
            {
                Check(name, check());
            }
            catch (System.Exception e)
            {
                Crashed(name, e);
            }
        }

        /// <summary>Records a check that ran into an exception instead of an answer.</summary>
        public void Crashed(string name, System.Exception e)
        {
            Check(name, false, e.GetType().Name + " " + e.Message);
        }

        private void Write(string line)
        {
            if (_output != null)
            {
                _output(line);
            }
        }
    }
}
