using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Buzzer
{
    /// <summary>
    /// Plays a pattern of tones on an <see cref="IToneOutput"/> without ever waiting: <see cref="Play"/> starts it,
    /// <see cref="Tick"/> (from the main loop) moves to the next step when its time has come. A pattern is pairs of
    /// (frequency in Hz, duration in ms); frequency 0 is a pause. A new pattern replaces the one playing. The
    /// volume (0..100) is the duty cycle (0..50 %); 0 plays nothing. Not thread-safe; allocates nothing.
    /// </summary>
    public sealed class TonePlayer
    {
        private readonly IToneOutput _output;
        private int[] _pattern;
        private int _step;
        private long _stepEnds;

        public TonePlayer(IToneOutput output, int volumePercent)
        {
            if (output == null)
            {
                throw new System.ArgumentNullException("output");
            }

            _output = output;
            VolumePercent = volumePercent < 0 ? 0 : volumePercent > 100 ? 100 : volumePercent;
        }

        public int VolumePercent { get; private set; }

        public bool IsPlaying
        {
            get { return _pattern != null; }
        }

        /// <summary>Starts <paramref name="pattern"/> at <paramref name="nowMs"/> (monotonic).</summary>
        public void Play(int[] pattern, long nowMs)
        {
            if (VolumePercent == 0 || pattern == null || pattern.Length < 2)
            {
                return;
            }

            _pattern = pattern;
            _step = 0;
            StartStep(nowMs);
        }

        /// <summary>Advances the pattern; call at least every few milliseconds while <see cref="IsPlaying"/>.</summary>
        public void Tick(long nowMs)
        {
            while (_pattern != null && nowMs >= _stepEnds)
            {
                _step += 2;
                if (_step + 1 >= _pattern.Length)
                {
                    Stop();
                    return;
                }

                StartStep(_stepEnds);
            }
        }

        /// <summary>Silences the buzzer at once.</summary>
        public void Stop()
        {
            _pattern = null;
            _output.Silence();
        }

        private void StartStep(long startMs)
        {
            int frequency = _pattern[_step];
            _stepEnds = startMs + _pattern[_step + 1];
            if (frequency > 0)
            {
                int duty = VolumePercent / 2;
                _output.Play(frequency, duty < 1 ? 1 : duty);
            }
            else
            {
                _output.Silence();
            }
        }
    }
}
