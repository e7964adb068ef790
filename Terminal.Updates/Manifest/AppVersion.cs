namespace Terminal.Updates.Manifest
{
    /// <summary>
    /// Application versions: one to four dot-separated decimal numbers, each 0..65535 (the shape of an assembly
    /// version), compared number by number, missing numbers counting as 0 ("1.2" == "1.2.0").
    /// </summary>
    public static class AppVersion
    {
        /// <summary>The longest version text accepted: "65535.65535.65535.65535".</summary>
        public const int MaxLength = 23;

        /// <summary>True when <paramref name="text"/> is a version.</summary>
        public static bool IsValid(string text)
        {
            if (text == null || text.Length == 0 || text.Length > MaxLength)
            {
                return false;
            }

            int parts = 1;
            int digits = 0;
            int value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '.')
                {
                    if (digits == 0 || ++parts > 4)
                    {
                        return false;
                    }

                    digits = 0;
                    value = 0;
                }
                else if (c >= '0' && c <= '9')
                {
                    if (digits > 0 && value == 0)
                    {
                        return false; // a leading zero: "01" would name the same version as "1"
                    }

                    value = (value * 10) + (c - '0');
                    if (++digits > 5 || value > 65535)
                    {
                        return false;
                    }
                }
                else
                {
                    return false;
                }
            }

            return digits > 0;
        }

        /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, 0 when equal, positive when newer.
        /// Both must be valid (<see cref="IsValid"/>).</summary>
        public static int Compare(string a, string b)
        {
            int ia = 0;
            int ib = 0;
            for (int part = 0; part < 4; part++)
            {
                int va = 0;
                while (ia < a.Length && a[ia] != '.')
                {
                    va = (va * 10) + (a[ia++] - '0');
                }

                int vb = 0;
                while (ib < b.Length && b[ib] != '.')
                {
                    vb = (vb * 10) + (b[ib++] - '0');
                }

                if (va != vb)
                {
                    return va < vb ? -1 : 1;
                }

                ia++;
                ib++;
            }

            return 0;
        }
    }
}
