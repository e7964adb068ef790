namespace Terminal.Firmware.App
{
    /// <summary>Timing of the app's own loops; the defaults suit the device and the interactive simulator.</summary>
    public sealed class TerminalAppSettings
    {
        public TerminalAppSettings()
        {
            LoopWaitMs = 20;
            ScanTimeoutMs = 60000;
            ScanRetriggerMs = 3000;
            SpinnerStepMs = 150;
            WorkerIdleWaitMs = 1000;
            StopWaitMs = 10000;
        }

        /// <summary>Longest wait for host-link bytes in one main-loop pass; sets the loop's pace.</summary>
        public int LoopWaitMs { get; set; }

        /// <summary>How long a customer-presented sale waits for a payment code before it is cancelled.</summary>
        public int ScanTimeoutMs { get; set; }

        /// <summary>
        /// Interval between scan triggers while waiting for a code: a GM65 in command mode scans for a few seconds
        /// per trigger, so the terminal triggers again until a code is read.
        /// </summary>
        public int ScanRetriggerMs { get; set; }

        /// <summary>Interval between spinner steps on the processing screens.</summary>
        public int SpinnerStepMs { get; set; }

        /// <summary>How long the idle worker waits for a job before it checks for a stop again.</summary>
        public int WorkerIdleWaitMs { get; set; }

        /// <summary>How long <see cref="TerminalApp.Stop"/> waits for the worker thread to end.</summary>
        public int StopWaitMs { get; set; }
    }
}
