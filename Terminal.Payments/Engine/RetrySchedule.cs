namespace Terminal.Payments.Engine
{
    /// <summary>
    /// A fixed list of waits between attempts, e.g. the cancel schedule 2,3,3,5,5 s of the legacy in-store SDK
    /// (docs/antom-protocol.md 4.3): the first attempt goes out at once, then one attempt after each wait, so the list
    /// {2000,3000,3000,5000,5000} allows six attempts over 18 s.
    /// </summary>
    public sealed class RetrySchedule
    {
        private int[] _waitsMs;

        public RetrySchedule(int[] waitsMs)
        {
            if (waitsMs == null)
            {
                throw new System.ArgumentNullException("waitsMs");
            }

            for (int i = 0; i < waitsMs.Length; i++)
            {
                if (waitsMs[i] < 0)
                {
                    throw new System.ArgumentOutOfRangeException("waitsMs", "waits must not be negative");
                }
            }

            _waitsMs = waitsMs;
        }

        /// <summary>The default cancel schedule: 2, 3, 3, 5, 5 seconds.</summary>
        public static RetrySchedule DefaultCancel()
        {
            return new RetrySchedule(new int[] { 2000, 3000, 3000, 5000, 5000 });
        }

        /// <summary>The waits this schedule uses (the array itself, so that an unchanged configuration changes nothing).</summary>
        public int[] Waits
        {
            get { return _waitsMs; }
        }

        /// <summary>Uses <paramref name="waitsMs"/> from now on (a remote setting changed them between transactions).</summary>
        public void Use(int[] waitsMs)
        {
            if (waitsMs == null)
            {
                throw new System.ArgumentNullException("waitsMs");
            }

            for (int i = 0; i < waitsMs.Length; i++)
            {
                if (waitsMs[i] < 0)
                {
                    throw new System.ArgumentOutOfRangeException("waitsMs", "waits must not be negative");
                }
            }

            _waitsMs = waitsMs;
        }

        /// <summary>Total number of attempts.</summary>
        public int Attempts
        {
            get { return _waitsMs.Length + 1; }
        }

        /// <summary>Milliseconds to wait before attempt <paramref name="attempt"/> (0-based; 0 for the first).</summary>
        public int WaitBefore(int attempt)
        {
            return attempt <= 0 ? 0 : _waitsMs[attempt - 1];
        }
    }
}
