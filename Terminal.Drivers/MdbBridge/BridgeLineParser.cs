namespace Terminal.Drivers.MdbBridge
{
    /// <summary>
    /// Reads one line from the bridge (without its line end) into a <see cref="BridgeEvent"/>: pure, allocation
    /// free. Vend requests carry the amount as a decimal number in currency units (<c>1.00</c>) and the item
    /// number; the amount is returned in units of 10^-<c>decimals</c> (<c>1.00</c> with 2 decimals is 100).
    /// </summary>
    public static class BridgeLineParser
    {
        /// <summary>Parses <c>line[0..count)</c>; for <see cref="BridgeEvent.VendRequest"/> also the amount and item.</summary>
        public static BridgeEvent Parse(byte[] line, int count, int decimals, out long amount, out int item)
        {
            amount = 0;
            item = 0;
            if (count < 2 || line[0] != (byte)'c' || line[1] != (byte)',')
            {
                return BridgeEvent.Other;
            }

            if (Is(line, count, "c,SET,OK"))
            {
                return BridgeEvent.SetOk;
            }

            if (Is(line, count, "c,VEND,SUCCESS"))
            {
                return BridgeEvent.VendSuccess;
            }

            if (Is(line, count, "c,ERR,VEND 3"))
            {
                return BridgeEvent.VendFailure;
            }

            if (Is(line, count, "c,ERR,VEND 1"))
            {
                return BridgeEvent.VendCancelled;
            }

            if (StartsWith(line, count, "c,ERR"))
            {
                return BridgeEvent.Error;
            }

            if (Is(line, count, "c,STATUS,OFFLINE"))
            {
                return BridgeEvent.Offline;
            }

            if (Is(line, count, "c,STATUS,INACTIVE") || Is(line, count, "c,STATUS,ONLINE"))
            {
                return BridgeEvent.Inactive;
            }

            if (Is(line, count, "c,STATUS,DISABLED"))
            {
                return BridgeEvent.Disabled;
            }

            if (Is(line, count, "c,STATUS,ENABLED"))
            {
                return BridgeEvent.Enabled;
            }

            if (Is(line, count, "c,STATUS,IDLE"))
            {
                return BridgeEvent.SessionIdle;
            }

            const string vend = "c,STATUS,VEND,";
            if (!StartsWith(line, count, vend))
            {
                return BridgeEvent.Other;
            }

            int comma = -1;
            for (int i = vend.Length; i < count; i++)
            {
                if (line[i] == (byte)',')
                {
                    comma = i;
                    break;
                }
            }

            long itemNumber;
            if (comma < 0 || !ParseAmount(line, vend.Length, comma - vend.Length, decimals, out amount)
                || !ParseWhole(line, comma + 1, count - comma - 1, out itemNumber) || itemNumber > 65535)
            {
                amount = 0;
                return BridgeEvent.Error;
            }

            item = (int)itemNumber;
            return BridgeEvent.VendRequest;
        }

        /// <summary>
        /// A decimal amount with at most <paramref name="decimals"/> places (<c>2</c>, <c>2.5</c>, <c>2.50</c>) in
        /// units of 10^-decimals; false for anything else (a sign, an exponent, too many places or digits).
        /// </summary>
        public static bool ParseAmount(byte[] text, int offset, int count, int decimals, out long value)
        {
            value = 0;
            int places = -1;
            int digits = 0;
            for (int i = offset; i < offset + count; i++)
            {
                byte b = text[i];
                if (b == (byte)'.' && places < 0 && digits > 0)
                {
                    places = 0;
                    continue;
                }

                if (b < (byte)'0' || b > (byte)'9' || digits >= 12 || (places >= 0 && places >= decimals))
                {
                    return false;
                }

                value = (value * 10) + (b - '0');
                digits++;
                if (places >= 0)
                {
                    places++;
                }
            }

            if (digits == 0 || places == 0)
            {
                return false;
            }

            for (int p = places < 0 ? 0 : places; p < decimals; p++)
            {
                value *= 10;
            }

            return true;
        }

        /// <summary>Writes <paramref name="value"/> (units of 10^-decimals) as a decimal, e.g. 250 with 2 as "2.50"; returns the end.</summary>
        public static int WriteAmount(long value, int decimals, byte[] buffer, int offset)
        {
            long scale = 1;
            for (int i = 0; i < decimals; i++)
            {
                scale *= 10;
            }

            int p = WriteWhole(value / scale, buffer, offset);
            if (decimals == 0)
            {
                return p;
            }

            buffer[p++] = (byte)'.';
            long fraction = value % scale;
            for (long d = scale / 10; d > 0; d /= 10)
            {
                buffer[p++] = (byte)('0' + ((fraction / d) % 10));
            }

            return p;
        }

        /// <summary>Writes a non-negative whole number; returns the end.</summary>
        public static int WriteWhole(long value, byte[] buffer, int offset)
        {
            long d = 1;
            while (value / d >= 10)
            {
                d *= 10;
            }

            int p = offset;
            for (; d > 0; d /= 10)
            {
                buffer[p++] = (byte)('0' + ((value / d) % 10));
            }

            return p;
        }

        private static bool ParseWhole(byte[] text, int offset, int count, out long value)
        {
            value = 0;
            if (count < 1 || count > 9)
            {
                return false;
            }

            for (int i = offset; i < offset + count; i++)
            {
                if (text[i] < (byte)'0' || text[i] > (byte)'9')
                {
                    return false;
                }

                value = (value * 10) + (text[i] - '0');
            }

            return true;
        }

        private static bool Is(byte[] line, int count, string text)
        {
            return count == text.Length && StartsWith(line, count, text);
        }

        private static bool StartsWith(byte[] line, int count, string text)
        {
            if (count < text.Length)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (line[i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
