namespace Terminal.Firmware.Screens
{
    /// <summary>Formats seconds as "m:ss" into a caller buffer, without allocating.</summary>
    internal static class Countdown
    {
        /// <summary>The longest value shown, 99:59.</summary>
        public const int MaxSeconds = 99 * 60 + 59;

        /// <summary>Writes "m:ss" (or "mm:ss") for the seconds, clamped to 0..99:59; returns the length.</summary>
        public static int Format(int seconds, char[] buffer)
        {
            if (seconds < 0)
            {
                seconds = 0;
            }

            if (seconds > MaxSeconds)
            {
                seconds = MaxSeconds;
            }

            int minutes = seconds / 60;
            int rest = seconds % 60;
            int n = 0;
            if (minutes >= 10)
            {
                buffer[n++] = (char)('0' + minutes / 10);
            }

            buffer[n++] = (char)('0' + minutes % 10);
            buffer[n++] = ':';
            buffer[n++] = (char)('0' + rest / 10);
            buffer[n++] = (char)('0' + rest % 10);
            return n;
        }
    }
}
