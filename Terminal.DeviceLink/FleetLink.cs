using Terminal.Core.Config;
using Terminal.Core.Ports;
using Terminal.DeviceLink.Heartbeat;
using Terminal.DeviceLink.Settings;
using Terminal.Payments.Config;
using Terminal.Transactions;

namespace Terminal.DeviceLink
{
    /// <summary>
    /// The terminal's link to its gateway as one component (docs/fleet-link.md): the boot record, the remote settings
    /// and the heartbeat, which runs on the transaction desk's worker between transactions. Composition:
    /// <code>
    /// FleetLink link = new FleetLink(config.DeviceLink, config.Payments, config.Sections, NewSections, mac, http, storage, sources);
    /// link.Attach(desk);   // before desk.Start()
    /// link.Start();        // counts the boot, applies the stored settings
    /// ...
    /// link.Stopped();      // after the desk stopped: the next boot reports "restart"
    /// </code>
    /// </summary>
    public sealed class FleetLink
    {
        private readonly BootRecord _boot;
        private readonly RemoteSettings _settings;
        private readonly HeartbeatTask _heartbeat;

        /// <param name="live">The terminal's configuration sections; remote settings are applied to them.</param>
        /// <param name="factory">Fresh sections with their defaults, to check remote settings on.</param>
        /// <param name="sources">Clock, random, log, parts and platform; the boot record and settings are filled in here.</param>
        public FleetLink(HeartbeatSection section, PaymentsConfig payments, ConfigSection[] live, SectionsFactory factory, IMac deviceKey, IHttpExchange http,
            IDurableStorage storage, HeartbeatSources sources)
        {
            if (sources == null)
            {
                throw new System.ArgumentNullException("sources");
            }

            _boot = new BootRecord(storage, sources.Log);
            _settings = new RemoteSettings(live, factory, storage, sources.Log);
            sources.Boot = _boot;
            sources.Settings = _settings;
            _heartbeat = new HeartbeatTask(section, payments, deviceKey, http, sources);
        }

        public HeartbeatTask Heartbeat
        {
            get { return _heartbeat; }
        }

        public RemoteSettings Settings
        {
            get { return _settings; }
        }

        public BootRecord Boot
        {
            get { return _boot; }
        }

        /// <summary>Joins the desk: the heartbeat as link work, and as a result subscriber (a beat follows each transaction).</summary>
        public void Attach(TransactionDesk desk)
        {
            desk.AddLinkTask(_heartbeat);
            desk.AddResultSubscriber(_heartbeat);
        }

        /// <summary>At start, before the desk's worker: counts this boot and applies the stored remote settings. Never throws for storage.</summary>
        public void Start()
        {
            _boot.Start();
            _settings.Load();
        }

        /// <summary>After the desk stopped: the next start reports a restart, not a power loss.</summary>
        public void Stopped()
        {
            _boot.Stopped();
        }

        /// <summary>DIAG: the heartbeat's counts and the settings in effect.</summary>
        public string[] DiagnosticLines()
        {
            string link = "link boots=" + _boot.Count + " (" + _boot.Reason + ") beats=" + _heartbeat.Beats + " failed=" + _heartbeat.Failures;
            if (_heartbeat.OfferRejections > 0)
            {
                link += " offers refused=" + _heartbeat.OfferRejections + " (" + _heartbeat.OfferProblem + ")";
            }

            return new string[] { link, _settings.DiagnosticLine() };
        }
    }
}
