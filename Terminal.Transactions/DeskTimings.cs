namespace Terminal.Transactions
{
    /// <summary>Timing of the desk's scanner session and worker; the defaults suit the device.</summary>
    public sealed class DeskTimings
    {
        public DeskTimings()
        {
            ScanTimeoutMs = 60000;
            ScanRetriggerMs = 3000;
            WorkerIdleWaitMs = 1000;
        }

        /// <summary>How long a customer-presented sale waits for a payment code before it is cancelled.</summary>
        public int ScanTimeoutMs { get; set; }

        /// <summary>
        /// Interval between scan triggers while waiting for a code: a GM65 in command mode scans for a few seconds
        /// per trigger, so the terminal triggers again until a code is read.
        /// </summary>
        public int ScanRetriggerMs { get; set; }

        /// <summary>How long the idle worker waits for a job before it checks for a stop again.</summary>
        public int WorkerIdleWaitMs { get; set; }
    }
}
