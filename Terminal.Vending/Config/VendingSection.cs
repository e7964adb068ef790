using Terminal.Core.Config;

namespace Terminal.Vending.Config
{
    /// <summary>
    /// The vending front end (docs/vending.md, docs/configuration.md): off, a coin-op machine driven by credit
    /// pulses on a GPIO, or a vending machine's MDB cashless device through a bridge on COM3 (the host link is
    /// then off: a vending machine has no register). Prices and values are in minor units of the engine's currency.
    /// </summary>
    public sealed class VendingSection : ConfigSection
    {
        public const string Off = "off";
        public const string Pulse = "pulse";
        public const string Mdb = "mdb";
        public const string Mpm = "mpm";
        public const string Cpm = "cpm";
        public const string High = "high";
        public const string Low = "low";
        public const string Resume = "resume";
        public const string Review = "review";
        public const string BeginSession = "begin";
        public const string AlwaysIdle = "alwaysIdle";

        /// <summary>The UART the MDB bridge takes (the host link's when it is off).</summary>
        public const int MdbUart = 3;

        public VendingSection()
            : base("vending")
        {
            Mode = Off;
            SaleMode = Mpm;
            MaxPrice = 10000;
            HoldMs = 4000;
            PulsePin = -1;
            PulseLevel = High;
            PulseValue = 100;
            PulseWidthMs = 50;
            PulseGapMs = 100;
            PulseMaxPerSale = 50;
            AfterPowerCut = Resume;
            MdbTx = -1;
            MdbRx = -1;
            MdbAddress = 1;
            MdbScaleFactor = 1;
            MdbSession = BeginSession;
            MdbResponseTimeS = 90;
            MdbVendTimeoutMs = 60000;
        }

        /// <summary>"off", "pulse" or "mdb" (key vending).</summary>
        public string Mode { get; set; }

        /// <summary>How the customer pays: "mpm" (the QR on the display) or "cpm" (their code at the scanner).</summary>
        public string SaleMode { get; set; }

        /// <summary>Pulse machines: the fixed price offered at idle; 0 = none (a keypad or the register asks).</summary>
        public long Price { get; set; }

        /// <summary>Largest price of one vend; MDB: also the funds a session announces.</summary>
        public long MaxPrice { get; set; }

        /// <summary>How long a result stays on screen before the next offer.</summary>
        public int HoldMs { get; set; }

        /// <summary>The GPIO of the credit pulses (to the optocoupler).</summary>
        public int PulsePin { get; set; }

        /// <summary>"high": the GPIO is high during a pulse (drives the optocoupler's LED); "low": the opposite.</summary>
        public string PulseLevel { get; set; }

        /// <summary>Value of one pulse, minor units (the coin the machine counts per pulse).</summary>
        public long PulseValue { get; set; }

        public int PulseWidthMs { get; set; }

        /// <summary>Least time from the end of one pulse to the start of the next.</summary>
        public int PulseGapMs { get; set; }

        /// <summary>Upper bound of one credit, in pulses.</summary>
        public int PulseMaxPerSale { get; set; }

        /// <summary>
        /// After a power cut during a credit: "resume" sends the pulses not yet journaled (the one in flight at the
        /// cut may be lost, never doubled); "review" sends no more and flags the sale for a person.
        /// </summary>
        public string AfterPowerCut { get; set; }

        /// <summary>ESP32 TX to the bridge's RX; -1 = COM3's board default (GPIO4).</summary>
        public int MdbTx { get; set; }

        /// <summary>ESP32 RX from the bridge's TX; -1 = COM3's board default (GPIO5).</summary>
        public int MdbRx { get; set; }

        /// <summary>1: cashless device #1 (MDB address 10H); 2: #2 (60H).</summary>
        public int MdbAddress { get; set; }

        /// <summary>MDB scale factor of the reader configuration data: the machine's prices are multiples of it.</summary>
        public int MdbScaleFactor { get; set; }

        /// <summary>"begin": the terminal opens a session with funds (MDB level 1); "alwaysIdle": the machine asks first.</summary>
        public string MdbSession { get; set; }

        /// <summary>The answer time announced to the machine: how long it waits for VEND APPROVED or DENIED.</summary>
        public int MdbResponseTimeS { get; set; }

        /// <summary>How long the terminal waits for VEND SUCCESS or FAILURE after approving before it flags the vend.</summary>
        public int MdbVendTimeoutMs { get; set; }

        public bool IsPulse
        {
            get { return Mode == Pulse; }
        }

        public bool IsMdb
        {
            get { return Mode == Mdb; }
        }

        /// <summary>The MDB address byte (10H or 60H).</summary>
        public int MdbAddressByte
        {
            get { return MdbAddress == 2 ? 0x60 : 0x10; }
        }

        public override void Describe(ConfigRules rules)
        {
            rules.Choice("vending", new string[] { Off, Pulse, Mdb }, Mode, delegate(string v) { Mode = v; });
            rules.Choice("vendingSaleMode", new string[] { Mpm, Cpm }, SaleMode, delegate(string v) { SaleMode = v; });
            rules.Integer("vendingPrice", 0, 99999999, Price, false, delegate(long v) { Price = v; });
            rules.Integer("vendingMaxPrice", 1, 99999999, MaxPrice, false, delegate(long v) { MaxPrice = v; });
            rules.Integer("vendingHoldMs", 0, 60000, HoldMs, false, delegate(long v) { HoldMs = (int)v; });
            rules.Pin("pulsePin", true, PulsePin, delegate(long v) { PulsePin = (int)v; });
            rules.Choice("pulseLevel", new string[] { High, Low }, PulseLevel, delegate(string v) { PulseLevel = v; });
            rules.Integer("pulseValue", 1, 99999999, PulseValue, false, delegate(long v) { PulseValue = v; });
            rules.Integer("pulseWidthMs", 10, 1000, PulseWidthMs, false, delegate(long v) { PulseWidthMs = (int)v; });
            rules.Integer("pulseGapMs", 10, 5000, PulseGapMs, false, delegate(long v) { PulseGapMs = (int)v; });
            rules.Integer("pulseMaxPerSale", 1, 1000, PulseMaxPerSale, false, delegate(long v) { PulseMaxPerSale = (int)v; });
            rules.Choice("pulseAfterPowerCut", new string[] { Resume, Review }, AfterPowerCut, delegate(string v) { AfterPowerCut = v; });
            rules.Pin("mdbTx", true, MdbTx, delegate(long v) { MdbTx = (int)v; });
            rules.Pin("mdbRx", false, MdbRx, delegate(long v) { MdbRx = (int)v; });
            rules.Integer("mdbAddress", 1, 2, MdbAddress, false, delegate(long v) { MdbAddress = (int)v; });
            rules.Integer("mdbScaleFactor", 1, 255, MdbScaleFactor, false, delegate(long v) { MdbScaleFactor = (int)v; });
            rules.Choice("mdbSession", new string[] { BeginSession, AlwaysIdle }, MdbSession, delegate(string v) { MdbSession = v; });
            rules.Integer("mdbResponseTimeS", 10, 255, MdbResponseTimeS, false, delegate(long v) { MdbResponseTimeS = (int)v; });
            rules.Integer("mdbVendTimeoutMs", 5000, 600000, MdbVendTimeoutMs, false, delegate(long v) { MdbVendTimeoutMs = (int)v; });
        }

        public override void Check()
        {
            if (IsPulse)
            {
                if (PulsePin < 0)
                {
                    throw new ConfigException("pulsePin", "pulse vending needs the GPIO of the credit output");
                }

                if (Price > 0 && Price % PulseValue != 0)
                {
                    throw new ConfigException("vendingPrice", "must be a multiple of pulseValue (" + PulseValue + "): the machine is credited in whole pulses");
                }

                if (Price / PulseValue > PulseMaxPerSale)
                {
                    throw new ConfigException("vendingPrice", "needs more than pulseMaxPerSale (" + PulseMaxPerSale + ") pulses");
                }
            }

            if (Price > MaxPrice)
            {
                throw new ConfigException("vendingPrice", "is above vendingMaxPrice (" + MaxPrice + ")");
            }

            if (IsMdb && MaxPrice % MdbScaleFactor != 0)
            {
                throw new ConfigException("vendingMaxPrice", "must be a multiple of mdbScaleFactor (" + MdbScaleFactor + "): MDB carries scaled amounts");
            }

            if (IsMdb && MaxPrice / MdbScaleFactor > 65535)
            {
                throw new ConfigException("vendingMaxPrice", "MDB level 1 carries at most 65535 x mdbScaleFactor (" + (65535L * MdbScaleFactor) + ")");
            }

            if ((MdbTx >= 0) != (MdbRx >= 0))
            {
                throw new ConfigException(MdbTx >= 0 ? "mdbRx" : "mdbTx", "mdbTx and mdbRx go together");
            }
        }

        public override void ClaimPins(PinClaims claims)
        {
            if (IsPulse)
            {
                claims.Claim("pulsePin", PulsePin);
            }

            if (IsMdb)
            {
                claims.Claim("mdbTx", MdbTx);
                claims.Claim("mdbRx", MdbRx);
                claims.ClaimUart("vending", MdbUart);
            }
        }

        /// <summary>
        /// The credit in pulses for <paramref name="amountMinor"/>, or the reason it cannot be credited: not a whole
        /// number of pulses, or above the upper bound (refused before the sale, so nothing is charged).
        /// </summary>
        public int PulsesFor(long amountMinor, out string problem)
        {
            problem = null;
            if (amountMinor <= 0 || amountMinor % PulseValue != 0)
            {
                problem = "the amount must be a multiple of the pulse value " + PulseValue;
                return 0;
            }

            long pulses = amountMinor / PulseValue;
            if (pulses > PulseMaxPerSale || amountMinor > MaxPrice)
            {
                problem = "above the most one sale may credit (" + PulseMaxPerSale + " pulses, " + MaxPrice + ")";
                return 0;
            }

            return (int)pulses;
        }
    }
}
