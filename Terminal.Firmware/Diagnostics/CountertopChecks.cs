using Terminal.Countertop.Entry;
using Terminal.Countertop.Keys;
using Terminal.Countertop.Pin;
using Terminal.Countertop.Receipts;
using Terminal.Drivers.Keypad;
using Terminal.Drivers.Printer;
using Terminal.Payments.Engine;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// Known-answer checks of the countertop for the self-test: a bouncing key read once, the key map, amount entry
    /// in a currency without minor units, the PIN hash (PBKDF2-HMAC-SHA256, RFC 8018, answer from Python's
    /// hashlib.pbkdf2_hmac), the receipt's date (a leap day) and a printer status answer.
    /// </summary>
    public static class CountertopChecks
    {
        public static void Run(SelfTestReport report)
        {
            report.Run("keypad debounce", CheckDebounce);
            report.Run("keypad key map", CheckKeyMap);
            report.Run("keypad amount entry", CheckAmountEntry);
            report.Run("menu pin hash", CheckPinHash);
            report.Run("receipt date", CheckReceiptDate);
            report.Run("printer status decode", CheckPrinterStatus);
        }

        private static string CheckDebounce()
        {
            // Key '5' (bit 5 of a 4x4 matrix) bounces for 8 ms, is held, released with a bounce, pressed again.
            ScriptedMatrix matrix = new ScriptedMatrix(new int[] { 0, 32, 0, 32, 32, 32, 32, 32, 32, 32, 0, 32, 0, 0, 0, 0, 0, 32, 32, 32, 32, 32 });
            Keypad keypad = new Keypad(matrix, KeypadLayout.FourByFour(), 15);
            for (int step = 0; step < matrix.Length; step++)
            {
                keypad.Scan(step * 4);
            }

            char first;
            char second;
            char third;
            if (!keypad.TryTake(out first) || !keypad.TryTake(out second) || keypad.TryTake(out third))
            {
                return "expected two presses, got " + keypad.Presses;
            }

            return first == '5' && second == '5' ? null : "keys " + first + second;
        }

        private static string CheckKeyMap()
        {
            return KeyMap.Classify('7') == KeyAction.Digit && KeyMap.Classify('#') == KeyAction.Ok && KeyMap.Classify('*') == KeyAction.Back
                && KeyMap.Classify('C') == KeyAction.Cancel && KeyMap.Classify('D') == KeyAction.Menu && KeyMap.Classify('X') == KeyAction.None
                ? null : "a key has the wrong meaning";
        }

        private static string CheckAmountEntry()
        {
            AmountEntry yen = new AmountEntry("JPY", 99999);
            yen.Type(1);
            yen.Type(2);
            yen.Type(5);
            yen.Type(0);
            yen.Type(0);
            bool refused = !yen.Type(9);
            AmountEntry dollars = new AmountEntry("USD", 100000);
            dollars.Type(5);
            return yen.Minor == 12500 && refused && yen.Text() == "12500" && dollars.Text() == "0.05" ? null : "got " + yen.Text() + " and " + dollars.Text();
        }

        private static string CheckPinHash()
        {
            byte[] salt = new byte[PinHash.SaltSize];
            for (int i = 0; i < salt.Length; i++)
            {
                salt[i] = (byte)i;
            }

            byte[] hash = new byte[PinHash.HashSize];
            PinHash.Derive(new PortableMac(salt), "1234", salt, 3, hash);
            string text = PinHash.Format(3, salt, hash);
            const string Expected = "pbkdf2-sha256$3$000102030405060708090a0b0c0d0e0f$c845ebd5a39a89371ac1731f641b74cf72cb590fe418f129ace645c0ce1a4bf0";
            string problem;
            return text == Expected && PinHash.Parse(text, salt, hash, out problem) == 3 ? null : "got " + text;
        }

        private static string CheckReceiptDate()
        {
            EscPosWriter writer = new EscPosWriter(32);
            CivilTime.Write(writer, 1835481570000L);
            return AsciiText.Matches(writer.Buffer, writer.Length, "2028-02-29 23:59 UTC") ? null : "not 2028-02-29 23:59 UTC";
        }

        private static string CheckPrinterStatus()
        {
            // Online (0x12), no offline cause (0x12), roll empty (0x72): out of paper; 0x80 is no status byte.
            return EscPosStatus.Decode(0x12, 0x12, 0x72) == PrinterState.PaperOut && EscPosStatus.Decode(0x12, 0x12, 0x12) == PrinterState.Ready
                && !EscPosStatus.IsStatusByte(0x80) ? null : "wrong state";
        }

        /// <summary>A matrix that reads the next of a list of readings at each scan.</summary>
        private sealed class ScriptedMatrix : IKeyMatrix
        {
            private readonly int[] _readings;
            private int _next;

            public ScriptedMatrix(int[] readings)
            {
                _readings = readings;
            }

            public int Length
            {
                get { return _readings.Length; }
            }

            public bool Read(out int pressed)
            {
                pressed = _readings[_next < _readings.Length ? _next : _readings.Length - 1];
                _next++;
                return true;
            }
        }
    }
}
