namespace Terminal.Payments.Antom
{
    /// <summary>
    /// ISO 8601 date-times as Antom uses them (storeTerminalRequestTime, orderCodeForm.expireTime,
    /// e.g. "2020-06-11T13:35:02+08:00"; docs/antom-protocol.md 3.1), converted to and from epoch milliseconds over bytes.
    /// Calendar arithmetic: the days-from-civil algorithms of the proleptic Gregorian calendar (H. Hinnant).
    /// </summary>
    public static class IsoTime
    {
        /// <summary>Length of the text <see cref="FormatUtc"/> writes: "yyyy-MM-ddTHH:mm:ss+00:00".</summary>
        public const int FormattedLength = 25;

        private const long MsPerDay = 86400000L;

        /// <summary>Writes the UTC time of <paramref name="epochMs"/> (whole seconds, offset "+00:00").</summary>
        public static int FormatUtc(long epochMs, byte[] buffer, int offset)
        {
            long days = FloorDiv(epochMs, MsPerDay);
            int msOfDay = (int)(epochMs - (days * MsPerDay));
            int year;
            int month;
            int day;
            CivilFromDays(days, out year, out month, out day);
            if (year < 0 || year > 9999)
            {
                throw new System.ArgumentOutOfRangeException("epochMs", "year outside 0..9999");
            }

            int seconds = msOfDay / 1000;
            int p = offset;
            p = Digits(year, 4, buffer, p);
            buffer[p++] = (byte)'-';
            p = Digits(month, 2, buffer, p);
            buffer[p++] = (byte)'-';
            p = Digits(day, 2, buffer, p);
            buffer[p++] = (byte)'T';
            p = Digits(seconds / 3600, 2, buffer, p);
            buffer[p++] = (byte)':';
            p = Digits((seconds / 60) % 60, 2, buffer, p);
            buffer[p++] = (byte)':';
            p = Digits(seconds % 60, 2, buffer, p);
            buffer[p++] = (byte)'+';
            buffer[p++] = (byte)'0';
            buffer[p++] = (byte)'0';
            buffer[p++] = (byte)':';
            buffer[p++] = (byte)'0';
            buffer[p++] = (byte)'0';
            return p - offset;
        }

        /// <summary>
        /// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM|+HHMM|-HHMM)" into epoch milliseconds.
        /// Returns false for anything else (a missing offset is refused: local time of an unknown zone).
        /// </summary>
        public static bool TryParse(byte[] text, int offset, int count, out long epochMs)
        {
            epochMs = 0;
            int end = offset + count;
            if (count < 20)
            {
                return false;
            }

            int year = Number(text, offset, 4);
            int month = Number(text, offset + 5, 2);
            int day = Number(text, offset + 8, 2);
            int hour = Number(text, offset + 11, 2);
            int minute = Number(text, offset + 14, 2);
            int second = Number(text, offset + 17, 2);
            bool separators = text[offset + 4] == '-' && text[offset + 7] == '-'
                && (text[offset + 10] == 'T' || text[offset + 10] == 't')
                && text[offset + 13] == ':' && text[offset + 16] == ':';
            if (!separators || year < 0 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
            {
                return false;
            }

            int p = offset + 19;
            int millis = 0;
            if (p < end && text[p] == '.')
            {
                p++;
                int digits = 0;
                while (p < end && text[p] >= '0' && text[p] <= '9')
                {
                    if (digits < 3)
                    {
                        millis = (millis * 10) + (text[p] - '0');
                    }

                    digits++;
                    p++;
                }

                if (digits == 0)
                {
                    return false;
                }

                for (int i = digits; i < 3; i++)
                {
                    millis *= 10;
                }
            }

            int offsetMinutes;
            if (p < end && (text[p] == 'Z' || text[p] == 'z') && p + 1 == end)
            {
                offsetMinutes = 0;
            }
            else if (p < end && (text[p] == '+' || text[p] == '-'))
            {
                int sign = text[p] == '-' ? -1 : 1;
                int oh = Number(text, p + 1, 2);
                int om;
                if (end - p == 6 && text[p + 3] == ':')
                {
                    om = Number(text, p + 4, 2);
                }
                else if (end - p == 5)
                {
                    om = Number(text, p + 3, 2);
                }
                else
                {
                    return false;
                }

                if (oh < 0 || oh > 23 || om < 0 || om > 59)
                {
                    return false;
                }

                offsetMinutes = sign * ((oh * 60) + om);
            }
            else
            {
                return false;
            }

            long days = DaysFromCivil(year, month, day);
            long seconds = (days * 86400L) + (hour * 3600L) + (minute * 60L) + second - (offsetMinutes * 60L);
            epochMs = (seconds * 1000L) + millis;
            return true;
        }

        /// <summary>Days since 1970-01-01 of a proleptic Gregorian date.</summary>
        internal static long DaysFromCivil(int year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yoe = y - (era * 400);
            long doy = (((153 * (month > 2 ? month - 3 : month + 9)) + 2) / 5) + day - 1;
            long doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
            return (era * 146097) + doe - 719468;
        }

        internal static void CivilFromDays(long days, out int year, out int month, out int day)
        {
            long z = days + 719468;
            long era = (z >= 0 ? z : z - 146096) / 146097;
            long doe = z - (era * 146097);
            long yoe = (doe - (doe / 1460) + (doe / 36524) - (doe / 146096)) / 365;
            long doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
            long mp = ((5 * doy) + 2) / 153;
            day = (int)(doy - (((153 * mp) + 2) / 5) + 1);
            month = (int)(mp < 10 ? mp + 3 : mp - 9);
            year = (int)(yoe + (era * 400) + (month <= 2 ? 1 : 0));
        }

        private static int DaysInMonth(int year, int month)
        {
            if (month == 2)
            {
                bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            }

            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }

        private static long FloorDiv(long a, long b)
        {
            long q = a / b;
            return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
        }

        private static int Digits(int value, int width, byte[] buffer, int offset)
        {
            for (int i = width - 1; i >= 0; i--)
            {
                buffer[offset + i] = (byte)('0' + (value % 10));
                value /= 10;
            }

            return offset + width;
        }

        /// <summary>The decimal value of <paramref name="width"/> digits, or -1 when one is not a digit.</summary>
        private static int Number(byte[] text, int offset, int width)
        {
            if (offset + width > text.Length)
            {
                return -1;
            }

            int value = 0;
            for (int i = 0; i < width; i++)
            {
                int c = text[offset + i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
            }

            return value;
        }
    }
}
