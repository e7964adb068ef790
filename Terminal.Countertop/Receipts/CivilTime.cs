using Terminal.Drivers.Printer;

namespace Terminal.Countertop.Receipts
{
    /// <summary>
    /// UTC date and time of a Unix millisecond count written as "2026-12-03 17:40 UTC", with integer arithmetic
    /// only (days to civil date: the proleptic Gregorian calendar's 400-year eras, as in H. Hinnant's
    /// "chrono-Compatible Low-Level Date Algorithms"). Allocates nothing.
    /// </summary>
    public static class CivilTime
    {
        private const long MsPerDay = 86400000L;

        /// <summary>Writes the date and time, or "time not set" before 2024 (the clock was never set).</summary>
        public static void Write(EscPosWriter writer, long epochMs)
        {
            if (epochMs < 1704067200000L)
            {
                writer.Text("time not set");
                return;
            }

            long days = epochMs / MsPerDay;
            long msOfDay = epochMs - (days * MsPerDay);
            long z = days + 719468;
            long era = z / 146097;
            long dayOfEra = z - (era * 146097);
            long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
            long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
            long mp = ((5 * dayOfYear) + 2) / 153;
            long day = dayOfYear - (((153 * mp) + 2) / 5) + 1;
            long month = mp < 10 ? mp + 3 : mp - 9;
            long year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);

            writer.Number(year, 4);
            writer.Char('-');
            writer.Number(month, 2);
            writer.Char('-');
            writer.Number(day, 2);
            writer.Char(' ');
            writer.Number(msOfDay / 3600000, 2);
            writer.Char(':');
            writer.Number(msOfDay / 60000 % 60, 2);
            writer.Text(" UTC");
        }
    }
}
