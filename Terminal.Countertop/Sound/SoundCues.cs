using System.Threading;
using Terminal.Drivers.Buzzer;
using Terminal.Payments.Journal;
using Terminal.Transactions;

namespace Terminal.Countertop.Sound
{
    /// <summary>
    /// The buzzer's cues, each its own pattern so that a cashier hears the outcome without looking: a short click
    /// for a key, a low buzz for a key that does nothing, a rising pair for success, a long low tone for failure and
    /// three beeps for "needs review". Results arrive on the desk's worker and are only noted; the main loop's
    /// <see cref="Tick"/> plays them (the tone player is the main loop's alone and never waits).
    /// </summary>
    public sealed class SoundCues : IResultSubscriber
    {
        public const int CueNone = 0;
        public const int CueKey = 1;
        public const int CueRefused = 2;
        public const int CueSuccess = 3;
        public const int CueFailure = 4;
        public const int CueReview = 5;

        // (frequency Hz, duration ms) pairs; 2.7 kHz is the resonance of the common 12 mm piezo discs.
        private readonly int[] _key = new int[] { 2700, 25 };
        private readonly int[] _refused = new int[] { 400, 120 };
        private readonly int[] _success = new int[] { 2000, 90, 0, 40, 2700, 160 };
        private readonly int[] _failure = new int[] { 300, 600 };
        private readonly int[] _review = new int[] { 1000, 150, 0, 100, 1000, 150, 0, 100, 1000, 150 };

        private readonly TonePlayer _player;
        private int _pending;

        public SoundCues(TonePlayer player)
        {
            _player = player;
        }

        /// <summary>The last cue played (for tests and the simulator's text cues).</summary>
        public int LastCue { get; private set; }

        /// <summary>Cues played since start.</summary>
        public int Played { get; private set; }

        /// <summary>Any thread: plays <paramref name="cue"/> at the next <see cref="Tick"/> (a later cue replaces it).</summary>
        public void Cue(int cue)
        {
            Interlocked.Exchange(ref _pending, cue);
        }

        public void OnResult(DeskResult result)
        {
            if (result.NeedsReview || result.Payment.Status == FinalStatus.NeedsReview)
            {
                Cue(CueReview);
            }
            else
            {
                Cue(result.Payment.Status == FinalStatus.Success ? CueSuccess : CueFailure);
            }
        }

        /// <summary>Main loop: starts a noted cue and moves the one playing on.</summary>
        public void Tick(long nowMs)
        {
            int cue = Interlocked.Exchange(ref _pending, CueNone);
            if (cue != CueNone)
            {
                LastCue = cue;
                Played++;
                _player.Play(Pattern(cue), nowMs);
            }

            if (_player.IsPlaying)
            {
                _player.Tick(nowMs);
            }
        }

        /// <summary>Words for a cue, as the simulator prints it.</summary>
        public static string Describe(int cue)
        {
            switch (cue)
            {
                case CueKey:
                    return "click";
                case CueRefused:
                    return "buzz (key refused)";
                case CueSuccess:
                    return "beep-BEEP (success)";
                case CueFailure:
                    return "long low tone (failure)";
                case CueReview:
                    return "beep beep beep (needs review)";
                default:
                    return "silence";
            }
        }

        private int[] Pattern(int cue)
        {
            switch (cue)
            {
                case CueKey:
                    return _key;
                case CueRefused:
                    return _refused;
                case CueSuccess:
                    return _success;
                case CueFailure:
                    return _failure;
                default:
                    return _review;
            }
        }
    }
}
