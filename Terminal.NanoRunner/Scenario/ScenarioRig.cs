using Terminal.Drivers.Display;
using Terminal.Firmware.Config;
using Terminal.Firmware.Screens;
using Terminal.NanoRunner.Gateway;
using Terminal.NanoRunner.Ports;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// One terminal and its gateway, all in memory: the payment engine over RAM storage that survives reboots, a
    /// clock that moves only when the engine waits, a power rail, the screen painter and the in-memory gateway.
    /// </summary>
    public sealed class ScenarioRig
    {
        public const string DeviceId = "T0042";
        public const string Currency = "SGD";

        public ScenarioRig()
        {
            byte[] key = new byte[32];
            for (int i = 0; i < key.Length; i++)
            {
                key[i] = (byte)(0x40 + i);
            }

            Config = new TerminalConfig();
            Config.Device.DeviceId = DeviceId;
            Config.Device.KeyVersion = 1;
            Config.Device.Key = key;
            Config.Network.GatewayUrl = "https://gateway.invalid";
            Config.Engine.Currency = Currency;
            Power = new PowerRail();
            Clock = new ManualClock();
            Storage = new RamStorage(Power);
            Log = new QuietLog();
            Random = new SequenceRandom();
            Gateway = new InMemoryGateway(key, 1, DeviceId, Clock, Power);
            Painter = new ScreenPainter(new Framebuffer());
            Qr = new QrScreen(Painter);
            Events = new ScenarioEvents(Qr);
            Boot();
        }

        public TerminalConfig Config { get; private set; }

        public PowerRail Power { get; private set; }

        public ManualClock Clock { get; private set; }

        public RamStorage Storage { get; private set; }

        public QuietLog Log { get; private set; }

        public SequenceRandom Random { get; private set; }

        public InMemoryGateway Gateway { get; private set; }

        public ScreenPainter Painter { get; private set; }

        public QrScreen Qr { get; private set; }

        public ScenarioEvents Events { get; private set; }

        public PaymentEngine Engine { get; private set; }

        /// <summary>True when the last boot could read the journal.</summary>
        public bool JournalOpened { get; private set; }

        /// <summary>Starts the firmware afresh over the same storage (power on after a cut, or a reset).</summary>
        public void Boot()
        {
            Engine = new PaymentEngine(Config.Payments, Gateway, new PortableMac(Config.Device.Key), Storage, Clock, Clock, Random, Log, Events);
            JournalOpened = Engine.Open();
        }

        public PaymentResult Sale(TransactionKind mode, long amountMinor, string reference, string paymentCode)
        {
            SaleRequest request = new SaleRequest();
            request.Mode = mode;
            request.AmountMinor = amountMinor;
            request.Reference = reference;
            request.PaymentCode = paymentCode;
            return Engine.RunSale(request);
        }
    }
}
