using Terminal.Core.Config;

namespace Terminal.Payments.Config
{
    /// <summary>
    /// The part of the configuration the payments domain reads: the device's identity at the gateway, the limits of
    /// one HTTP exchange, the engine's timing and the merchant fields. The sections are those of the whole
    /// configuration (the terminal's composition passes its own), so a value read from the file is seen here.
    /// </summary>
    public sealed class PaymentsConfig
    {
        public PaymentsConfig(DeviceSection device, NetworkSection network, EngineSection engine, MerchantSection merchant)
        {
            Device = device;
            Network = network;
            Engine = engine;
            Merchant = merchant;
        }

        public DeviceSection Device { get; private set; }

        public NetworkSection Network { get; private set; }

        public EngineSection Engine { get; private set; }

        public MerchantSection Merchant { get; private set; }

        /// <summary>The storeTerminalId to send: the configured terminalId, else the device id.</summary>
        public string EffectiveTerminalId
        {
            get { return Merchant.TerminalId == null || Merchant.TerminalId.Length == 0 ? Device.DeviceId : Merchant.TerminalId; }
        }
    }
}
