using Terminal.Core.Config;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Updates.Config;
using Terminal.Countertop.Keys;
using Terminal.Countertop.Menu;
using Terminal.Countertop.Receipts;
using Terminal.Countertop.Sound;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Screens;
using Terminal.Payments.Config;
using Terminal.Vending.Config;

namespace Terminal.Firmware.Config
{
    /// <summary>
    /// The terminal's configuration (docs/configuration.md): one section per capability, each defined where its
    /// capability lives (the device, network and board in Terminal.Core, the engine and merchant in
    /// Terminal.Payments, the keypad, buzzer, printer and menu in Terminal.Countertop, vending in Terminal.Vending,
    /// the display, host link and scanner here), read by <see cref="TerminalConfigParser"/>.
    /// Defaults are those of the document; properties are settable so that tests and the simulator can build one
    /// in code:
    /// <code>new TerminalConfig { Device = { DeviceId = "T0001" }, Engine = { Currency = "USD" } }</code>
    /// A new capability registers its section here: a property and its place in <see cref="Sections"/>.
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
            Vending = new VendingSection();
            DeviceLink = new HeartbeatSection();
            Keypad = new KeypadSection();
            Buzzer = new BuzzerSection();
            Printer = new PrinterSection();
            Menu = new MenuSection();
            Updates = new UpdatesSection();
            Payments = new PaymentsConfig(Device, Network, Engine, Merchant);
            _sections = new ConfigSection[] { Device, Network, Board, Display, Scanner, HostLink, Engine, Merchant, Vending, DeviceLink, Keypad, Buzzer, Printer, Menu, Updates };
        }

        public DeviceSection Device { get; private set; }

        public NetworkSection Network { get; private set; }

        public BoardSection Board { get; private set; }

        public DisplaySection Display { get; private set; }

        public ScannerSection Scanner { get; private set; }

        public HostLinkSection HostLink { get; private set; }

        public EngineSection Engine { get; private set; }

        public MerchantSection Merchant { get; private set; }

        /// <summary>The vending front end: off, pulse credit output or MDB cashless device (Terminal.Vending).</summary>
        public VendingSection Vending { get; private set; }
        /// <summary>The link to the gateway: heartbeat interval (docs/fleet-link.md).</summary>
        public HeartbeatSection DeviceLink { get; private set; }

        public KeypadSection Keypad { get; private set; }

        public BuzzerSection Buzzer { get; private set; }

        public PrinterSection Printer { get; private set; }

        public MenuSection Menu { get; private set; }

        /// <summary>Over-the-air updates: when a version on trial is marked healthy (docs/ota.md).</summary>
        public UpdatesSection Updates { get; private set; }

        /// <summary>What the payments domain reads: the device, network, engine and merchant sections above.</summary>
        public PaymentsConfig Payments { get; private set; }

        /// <summary>The sections in the order their keys are documented and checked.</summary>
        public ConfigSection[] Sections
        {
            get { return _sections; }
        }

        /// <summary>
        /// Every key the terminal accepts, with its section, kind, bounds, allowed values and default: the one table
        /// that tools (flash.ps1) and the gateway (remote settings) check against.
        /// </summary>
        public static ConfigRules Rules()
        {
            return new TerminalConfig().Describe();
        }

        /// <summary>The sections of a new configuration with every default: the candidate remote settings are checked on.</summary>
        public static ConfigSection[] NewSections()
        {
            return new TerminalConfig().Sections;
        }

        /// <summary>This configuration's rules: each one's default is the current value, and reading a key stores here.</summary>
        public ConfigRules Describe()
        {
            return ConfigRules.Of(_sections);
        }
    }
}
