using Terminal.Core.Ports;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Loader.Boot;
using Terminal.Payments.Antom;
using Terminal.Payments.Config;
using Terminal.Transactions;
using Terminal.Updates.Config;
using Terminal.Updates.Download;
using Terminal.Updates.Health;
using Terminal.Updates.Link;
using Terminal.Updates.Manifest;

namespace Terminal.Updates
{
    /// <summary>
    /// Over-the-air updates on the terminal as one component (docs/ota.md): the download and staging on the desk's
    /// worker (<see cref="UpdateTask"/>), the health rule of a version on trial (<see cref="HealthRule"/>), the idle
    /// restart, and what the heartbeat reports. Composition (Terminal.Firmware's App):
    /// <code>
    /// Updater updater = new Updater(config.Updates, config.Payments, mac, http, ports.Updates, Version, clock, log);
    /// sources.Updates = updater; sources.Firmware = updater.Running;   // the heartbeat
    /// updater.Attach(desk);                                             // before desk.Start()
    /// if (updater.SelfTestWanted) updater.SelfTestDone(passed, summary); // at start
    /// updater.Check(); if (updater.RestartDue(deskIdle)) { stop the app; updater.Restart(); }   // main loop
    /// </code>
    /// </summary>
    public sealed class Updater : IUpdateLink, IResultSubscriber
    {
        /// <summary>No restart within this long of the last transaction's end (its result stays on the screen).</summary>
        public const int RestartQuietMs = 30000;

        private readonly UpdatePorts _ports;
        private readonly IClock _clock;
        private readonly BootSelector _boot;
        private readonly UpdateTask _task;
        private readonly HealthRule _health;
        private readonly bool _onTrial;
        private readonly bool _known;
        private readonly bool _rollbackNewer;
        private string _rolledBack;
        private string _rollbackReason;
        private bool _restartNow;
        private long _lastResultMs;

        /// <param name="installed">The version of the application installed with the loader (booted while the boot
        /// record names none).</param>
        public Updater(UpdatesSection section, PaymentsConfig payments, IMac deviceKey, IHttpExchange http, UpdatePorts ports, string installed, IClock clock, ILog log)
        {
            if (section == null || payments == null || deviceKey == null || http == null || ports == null || clock == null)
            {
                throw new System.ArgumentNullException(section == null ? "section" : payments == null ? "payments" : deviceKey == null ? "deviceKey" : http == null ? "http" : ports == null ? "ports" : "clock");
            }

            if (ports.BootFolder == null || ports.Folders == null || ports.Flashed == null || ports.Restart == null)
            {
                throw new System.ArgumentException("boot folder, version folders, flashed versions and restart are required", "ports");
            }

            _ports = ports;
            _clock = clock;
            _boot = new BootSelector(ports.BootFolder);

            // Read once: the loader chose (and counted) this boot before the app started; the app's own writes follow.
            BootState state = _boot.State;
            _onTrial = state.OnTrial;
            Running = state.OnTrial ? state.Candidate : state.Active.Length > 0 ? state.Active : installed;
            _known = !state.OnTrial && state.Active.Length > 0;
            _rolledBack = state.RolledBack;
            _rollbackReason = state.Reason;

            // The record keeps the last rollback for good: it is news only while it is of a version newer than this one.
            _rollbackNewer = AppVersion.IsValid(state.RolledBack) && (!AppVersion.IsValid(Running) || AppVersion.Compare(state.RolledBack, Running) > 0);
            _lastResultMs = clock.MonotonicMs();

            Hs256Signer signer = new Hs256Signer(deviceKey, payments.Device.DeviceId, payments.Device.KeyVersion, SignatureKeys.UpdateDownload, null);
            HttpBundleSource source = new HttpBundleSource(http, signer, clock, payments.Network.HttpTimeoutMs);
            _task = new UpdateTask(source, new ManifestAuthentication(deviceKey), ports.Folders, ports.Flashed, _boot, Running, state.RolledBack, clock, log,
                payments.Network.ResponseBufferBytes);
            _health = new HealthRule(_boot, clock, section.HealthyAfterMinutes * 60000L, section.HealthyAfterTransactions);
        }

        /// <summary>The application version running (the heartbeat's firmware).</summary>
        public string Running { get; private set; }

        /// <summary>This run is a version on trial: the self-test decides first (<see cref="SelfTestDone"/>).</summary>
        public bool SelfTestWanted
        {
            get { return _onTrial; }
        }

        public UpdateTask Task
        {
            get { return _task; }
        }

        public HealthRule Health
        {
            get { return _health; }
        }

        /// <summary>Joins the desk: the download as link work; one result subscriber for the health rule and the quiet time.</summary>
        public void Attach(TransactionDesk desk)
        {
            desk.AddLinkTask(_task);
            desk.AddResultSubscriber(this);
        }

        /// <summary>At start, on trial: the self-test's verdict. A failure rolls the version back and asks for a restart.</summary>
        public void SelfTestDone(bool passed, string summary)
        {
            if (!_onTrial || _health.SelfTestDone(passed, summary))
            {
                return;
            }

            _rolledBack = Running;
            _rollbackReason = "self-test failed: " + summary;
            _restartNow = true;
        }

        /// <summary>Main loop: the health rule's time. Cheap; allocates nothing.</summary>
        public void Check()
        {
            _health.Check();
        }

        /// <summary>Main loop: a restart is wanted now: at once after a rollback, else when a version is staged, the
        /// desk is idle and the last transaction ended at least <see cref="RestartQuietMs"/> ago.</summary>
        public bool RestartDue(bool deskIdle)
        {
            return _restartNow || (deskIdle && _task.IsStaged && _clock.MonotonicMs() - _lastResultMs >= RestartQuietMs);
        }

        /// <summary>After the app stopped: the platform restarts (the loader boots the version on trial).</summary>
        public void Restart()
        {
            _ports.Restart.Restart();
        }

        public void OnResult(DeskResult result)
        {
            _lastResultMs = _clock.MonotonicMs();
            _health.OnResult(result);
        }

        public void Offered(UpdateOffer offer)
        {
            _task.Offered(offer);
        }

        /// <summary>DIAG's line: the version running and what the heartbeat says about updates, e.g.
        /// <c>update running=1.0.0 downloading 1.1.0 bytes=12288</c> or <c>update running=1.1.0 healthy</c>.</summary>
        public string DiagnosticLine()
        {
            HeartbeatFacts facts = new HeartbeatFacts();
            Report(facts);
            string line = "update running=" + Running;
            if (facts.UpdateState == null)
            {
                return line + " none";
            }

            line += " " + facts.UpdateState;
            if (facts.UpdateVersion != Running)
            {
                line += " " + facts.UpdateVersion;
            }

            if (facts.UpdateBytes >= 0)
            {
                line += " bytes=" + facts.UpdateBytes;
            }

            return facts.UpdateReason == null ? line : line + " reason=" + facts.UpdateReason;
        }

        /// <summary>The download's state when there is one, else what became of the version running or rolled back.</summary>
        public void Report(HeartbeatFacts facts)
        {
            _task.Report(facts);
            if (facts.UpdateVersion != null)
            {
                return;
            }

            if (_restartNow || (!_onTrial && _rollbackNewer))
            {
                facts.UpdateVersion = _rolledBack;
                facts.UpdateState = "rolled_back";
                facts.UpdateReason = _rollbackReason;
            }
            else if (_health.MarkedHealthy || (_known && !_onTrial))
            {
                facts.UpdateVersion = Running;
                facts.UpdateState = "healthy";
            }
            else if (_onTrial)
            {
                facts.UpdateVersion = Running;
                facts.UpdateState = "trial";
            }
        }
    }
}
