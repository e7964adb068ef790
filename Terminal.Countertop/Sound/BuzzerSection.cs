using Terminal.Core.Config;

namespace Terminal.Countertop.Sound
{
    /// <summary>The passive piezo buzzer: its PWM pin (unset: none fitted), sound on or off, and the volume.</summary>
    public sealed class BuzzerSection : ConfigSection
    {
        public const string On = "on";
        public const string Off = "off";

        public BuzzerSection()
            : base("buzzer")
        {
            Pin = -1;
            Sound = On;
            VolumePercent = 60;
        }

        /// <summary>The GPIO driving the piezo (key buzzerPin); -1: no buzzer.</summary>
        public int Pin { get; set; }

        /// <summary>"on" or "off" (key sound): off keeps the buzzer silent.</summary>
        public string Sound { get; set; }

        /// <summary>0..100 (key buzzerVolume): the PWM duty cycle, 100 is 50 %.</summary>
        public int VolumePercent { get; set; }

        public bool Fitted
        {
            get { return Pin >= 0; }
        }

        /// <summary>The volume the tone player uses: 0 when the sound is off.</summary>
        public int EffectiveVolume
        {
            get { return Sound == Off ? 0 : VolumePercent; }
        }

        public override void Describe(ConfigRules rules)
        {
            rules.Pin("buzzerPin", true, Pin, delegate(long v) { Pin = (int)v; });
            rules.Choice("sound", new string[] { On, Off }, Sound, delegate(string v) { Sound = v; });
            rules.Integer("buzzerVolume", 0, 100, VolumePercent, false, delegate(long v) { VolumePercent = (int)v; });
        }

        public override void ClaimPins(PinClaims claims)
        {
            claims.Claim("buzzerPin", Pin);
        }
    }
}
