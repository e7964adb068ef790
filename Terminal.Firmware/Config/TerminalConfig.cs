namespace Terminal.Firmware.Config
{
    /// <summary>
    /// The device configuration (docs/configuration.md) in sections, one per capability, as parsed by
    /// <see cref="TerminalConfigParser"/>. Defaults are those of the document; properties are settable so that
    /// tests and the simulator can build one in code:
    /// <code>new TerminalConfig { Device = { DeviceId = "T0001" }, Engine = { Currency = "USD" } }</code>
    /// A new capability (printer, keypad, vending, device link) adds its section here and to <see cref="Sections"/>.
    /// </summary>
    public sealed class TerminalConfig
    {
        private readonly ConfigSection[] _sections;

        public TerminalConfig()
        {
            Device = new DeviceSection();
            Network = new NetworkSection();
            Board = new BoardSection();
            Display = new DisplaySection();
            Scanner = new ScannerSection();
            HostLink = new HostLinkSection();
            Engine = new EngineSection();
            Merchant = new MerchantSection();
            _sections = new ConfigSection[] { Device, Network, Board, Display, Scanner, HostLink, Engine, Merchant };
        }

        public DeviceSection Device { get; private set; }

        public NetworkSection Network { get; private set; }

        public BoardSection Board { get; private set; }

        public DisplaySection Display { get; private set; }

        public ScannerSection Scanner { get; private set; }

        public HostLinkSection HostLink { get; private set; }

        public EngineSection Engine { get; private set; }

        public MerchantSection Merchant { get; private set; }

        /// <summary>The sections in the order their keys are documented and checked.</summary>
        public ConfigSection[] Sections
        {
            get { return _sections; }
        }

        /// <summary>The storeTerminalId to send: the configured terminalId, else the device id.</summary>
        public string EffectiveTerminalId
        {
            get { return Merchant.TerminalId == null || Merchant.TerminalId.Length == 0 ? Device.DeviceId : Merchant.TerminalId; }
        }

        /// <summary>
        /// Every key the terminal accepts, with its section, kind, bounds, allowed values and default: the one table
        /// that tools (flash.ps1) and the gateway (remote settings) check against.
        /// </summary>
        public static ConfigRules Rules()
        {
            return new TerminalConfig().Describe();
        }

        /// <summary>This configuration's rules: each one's default is the current value, and reading a key stores here.</summary>
        public ConfigRules Describe()
        {
            ConfigRules rules = new ConfigRules();
            for (int i = 0; i < _sections.Length; i++)
            {
                rules.BeginSection(_sections[i].Name);
                _sections[i].Describe(rules);
            }

            return rules;
        }
    }
}
