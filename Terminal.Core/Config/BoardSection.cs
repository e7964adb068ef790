namespace Terminal.Core.Config
{
    /// <summary>The ESP32 module: decides which pins exist for the pin check (WROVER wires GPIO16/17 to the PSRAM).</summary>
    public sealed class BoardSection : ConfigSection
    {
        public const string Wroom = "wroom";
        public const string Wrover = "wrover";

        public BoardSection()
            : base("board")
        {
            Module = Wroom;
        }

        /// <summary>"wroom" or "wrover".</summary>
        public string Module { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.Choice("board", new string[] { Wroom, Wrover }, Module, delegate(string v) { Module = v; });
        }

        public override void ClaimPins(PinClaims claims)
        {
            claims.Wrover = Module == Wrover;
        }
    }
}
