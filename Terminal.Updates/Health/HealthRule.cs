using Terminal.Core.Ports;
using Terminal.Loader.Boot;
using Terminal.Transactions;

namespace Terminal.Updates.Health
{
    /// <summary>
    /// When a version on trial becomes the one known to work (docs/ota.md, "The switch"): its self-test passed, and
    /// then it ran <see cref="HealthyAfterMs"/> without a restart or finished <see cref="HealthyAfterTransactions"/>
    /// transactions, whichever comes first. A failed self-test rolls it back at once (the caller restarts). Hears the
    /// desk's results as a subscriber; <see cref="Check"/> is called from the main loop for the time rule. A version
    /// not on trial is left alone, so this is harmless on a terminal that never updated.
    /// </summary>
    public sealed class HealthRule : IResultSubscriber
    {
        private readonly BootSelector _boot;
        private readonly IClock _clock;
        private readonly long _startMs;
        private readonly object _sync = new object();
        private int _transactions;
        private bool _selfTestPassed;
        private bool _done;

        public HealthRule(BootSelector boot, IClock clock, long healthyAfterMs, int healthyAfterTransactions)
        {
            if (boot == null || clock == null || healthyAfterMs < 0 || healthyAfterTransactions < 1)
            {
                throw new System.ArgumentException("boot selector, clock, a time and a transaction count are required");
            }

            _boot = boot;
            _clock = clock;
            _startMs = clock.MonotonicMs();
            HealthyAfterMs = healthyAfterMs;
            HealthyAfterTransactions = healthyAfterTransactions;
        }

        public long HealthyAfterMs { get; private set; }

        public int HealthyAfterTransactions { get; private set; }

        /// <summary>This run marked its version healthy.</summary>
        public bool MarkedHealthy { get; private set; }

        /// <summary>The self-test's verdict, once at start. False when it failed and the version on trial was rolled
        /// back: the caller restarts into the known version.</summary>
        public bool SelfTestDone(bool passed, string failure)
        {
            if (passed)
            {
                _selfTestPassed = true;
                Check();
                return true;
            }

            lock (_sync)
            {
                _done = true;
                return !_boot.RollBack("self-test failed: " + failure);
            }
        }

        public void OnResult(DeskResult result)
        {
            _transactions++;
            Check();
        }

        /// <summary>Marks the version healthy when its time or its transactions have come. Cheap once done. The main
        /// loop and the desk's worker (results) both call it: one boot-record write at most.</summary>
        public void Check()
        {
            if (_done || !_selfTestPassed)
            {
                return;
            }

            lock (_sync)
            {
                if (!_done && (_clock.MonotonicMs() - _startMs >= HealthyAfterMs || _transactions >= HealthyAfterTransactions))
                {
                    _done = true;
                    MarkedHealthy = _boot.MarkHealthy();
                }
            }
        }
    }
}
