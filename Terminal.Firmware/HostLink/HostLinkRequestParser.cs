namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// Pure, strict parser of one request line (terminator already removed):
    /// <c>&lt;id&gt; &lt;COMMAND&gt; [args]*&lt;CRC-8 hex&gt;</c>. Checks, in order: printable ASCII, the
    /// checksum, single-space tokens, the id, the command word, then each argument's count and format.
    /// A line that fails is answered with an error and changes nothing. Errors are values
    /// (<see cref="HostLinkError"/> plus a constant <see cref="ErrorText"/>); nothing is allocated for a
    /// rejected line.
    /// </summary>
    public sealed class HostLinkRequestParser
    {
        private const byte Space = (byte)' ';

        private readonly int[] _start = new int[HostLinkProtocol.MaxTokens];
        private readonly int[] _length = new int[HostLinkProtocol.MaxTokens];
        private int _tokens;
        private byte[] _line;

        /// <summary>Why the last <see cref="Parse"/> failed, in words for the ERR reply; null after success.</summary>
        public string ErrorText { get; private set; }

        /// <summary>
        /// Parses <paramref name="length"/> bytes of <paramref name="line"/> into <paramref name="request"/>.
        /// Returns <see cref="HostLinkError.None"/> or the error; <c>request.Id</c> is the id to answer with
        /// (0 when it cannot be trusted).
        /// </summary>
        public HostLinkError Parse(byte[] line, int length, HostLinkRequest request)
        {
            request.Clear();
            ErrorText = null;
            _line = line;

            int mark = -1;
            for (int i = 0; i < length; i++)
            {
                byte b = line[i];
                if (b < 0x20 || b > 0x7E)
                {
                    return Error(HostLinkError.BadByte, "line holds a byte that is not printable ASCII");
                }

                if (b == HostLinkProtocol.ChecksumMark)
                {
                    mark = i;
                }
            }

            if (mark < 0 || length - mark != 3)
            {
                return Error(HostLinkError.Checksum, "line must end with its checksum");
            }

            int high = HostLinkChecksum.HexValue(line[mark + 1]);
            int low = HostLinkChecksum.HexValue(line[mark + 2]);
            if (high < 0 || low < 0 || ((high << 4) | low) != HostLinkChecksum.Compute(line, 0, mark))
            {
                return Error(HostLinkError.Checksum, "checksum does not match");
            }

            bool tooMany;
            if (!Tokenize(mark, out tooMany))
            {
                return Error(HostLinkError.Syntax, "tokens must be separated by single spaces");
            }

            int id = ParseId(0);
            if (id <= 0)
            {
                return Error(HostLinkError.Syntax, "id must be 1 to 999999999 without leading zeros");
            }

            request.Id = id;
            if (_tokens < 2)
            {
                return Error(HostLinkError.Syntax, "command missing");
            }

            HostLinkCommand command = ParseCommand(1);
            if (command == HostLinkCommand.None)
            {
                return Error(HostLinkError.Unknown, "unknown command");
            }

            request.Command = command;
            if (tooMany)
            {
                return Error(HostLinkError.Args, "too many arguments");
            }

            int args = _tokens - 2;
            switch (command)
            {
                case HostLinkCommand.Sale:
                    return ParseSale(args, request);
                case HostLinkCommand.Refund:
                    return ParseTarget(args, 3, request);
                case HostLinkCommand.Void:
                    return ParseTarget(args, 2, request);
                default:
                    return args == 0 ? HostLinkError.None : Error(HostLinkError.Args, "this command takes no arguments");
            }
        }

        // SALE <amount> <currency> <MPM|CPM> <reference>
        private HostLinkError ParseSale(int args, HostLinkRequest request)
        {
            if (args != 4)
            {
                return Error(HostLinkError.Args, "SALE needs amount currency MPM|CPM reference");
            }

            long amount = ParseAmount(2);
            if (amount <= 0)
            {
                return Error(HostLinkError.Args, "amount must be 1 to 12 digits in minor units, no leading zeros");
            }

            if (!IsCurrency(3))
            {
                return Error(HostLinkError.Args, "currency must be three capital letters (ISO 4217)");
            }

            HostLinkSaleMode mode;
            if (Is(4, "MPM"))
            {
                mode = HostLinkSaleMode.Mpm;
            }
            else if (Is(4, "CPM"))
            {
                mode = HostLinkSaleMode.Cpm;
            }
            else
            {
                return Error(HostLinkError.Args, "mode must be MPM or CPM");
            }

            if (!IsReference(5))
            {
                return Error(HostLinkError.Args, "reference must be 1 to 64 of A-Z a-z 0-9 . _ -");
            }

            request.AmountMinor = amount;
            request.Currency = Text(3);
            request.Mode = mode;
            request.Reference = Text(5);
            return HostLinkError.None;
        }

        // REFUND REF|PAYMENT <value> <amount>, VOID REF|PAYMENT <value>
        private HostLinkError ParseTarget(int args, int expected, HostLinkRequest request)
        {
            if (args != expected)
            {
                return Error(HostLinkError.Args, expected == 3
                    ? "REFUND needs REF|PAYMENT value amount"
                    : "VOID needs REF|PAYMENT value");
            }

            bool byReference = Is(2, "REF");
            if (!byReference && !Is(2, "PAYMENT"))
            {
                return Error(HostLinkError.Args, "say REF <reference> or PAYMENT <paymentId>");
            }

            if (!IsReference(3))
            {
                return Error(HostLinkError.Args, "reference or payment id must be 1 to 64 of A-Z a-z 0-9 . _ -");
            }

            if (expected == 3)
            {
                long amount = ParseAmount(4);
                if (amount <= 0)
                {
                    return Error(HostLinkError.Args, "amount must be 1 to 12 digits in minor units, no leading zeros");
                }

                request.AmountMinor = amount;
            }

            if (byReference)
            {
                request.Reference = Text(3);
            }
            else
            {
                request.PaymentId = Text(3);
            }

            return HostLinkError.None;
        }

        // Splits [0, end) at single spaces. False on an empty token (leading, trailing or double space).
        private bool Tokenize(int end, out bool tooMany)
        {
            _tokens = 0;
            tooMany = false;
            int start = 0;
            for (int i = 0; i <= end; i++)
            {
                if (i < end && _line[i] != Space)
                {
                    continue;
                }

                if (i == start)
                {
                    return false;
                }

                if (_tokens < _start.Length)
                {
                    _start[_tokens] = start;
                    _length[_tokens] = i - start;
                    _tokens++;
                }
                else
                {
                    tooMany = true;
                }

                start = i + 1;
            }

            return true;
        }

        private int ParseId(int token)
        {
            long value = ParseDigits(token, 9);
            return value > HostLinkProtocol.MaxId ? -1 : (int)value;
        }

        private long ParseAmount(int token)
        {
            return ParseDigits(token, HostLinkProtocol.MaxAmountDigits);
        }

        // 1..maxDigits decimal digits without a leading zero; -1 otherwise.
        private long ParseDigits(int token, int maxDigits)
        {
            int start = _start[token];
            int length = _length[token];
            if (length > maxDigits || _line[start] == (byte)'0')
            {
                return -1;
            }

            long value = 0;
            for (int i = start; i < start + length; i++)
            {
                byte b = _line[i];
                if (b < (byte)'0' || b > (byte)'9')
                {
                    return -1;
                }

                value = (value * 10) + (b - '0');
            }

            return value;
        }

        private HostLinkCommand ParseCommand(int token)
        {
            if (Is(token, "PING")) return HostLinkCommand.Ping;
            if (Is(token, "SALE")) return HostLinkCommand.Sale;
            if (Is(token, "ABORT")) return HostLinkCommand.Abort;
            if (Is(token, "REFUND")) return HostLinkCommand.Refund;
            if (Is(token, "VOID")) return HostLinkCommand.Void;
            if (Is(token, "STATUS")) return HostLinkCommand.Status;
            if (Is(token, "LAST")) return HostLinkCommand.Last;
            if (Is(token, "DIAG")) return HostLinkCommand.Diag;
            if (Is(token, "SELFTEST")) return HostLinkCommand.SelfTest;
            return HostLinkCommand.None;
        }

        private bool Is(int token, string word)
        {
            int start = _start[token];
            if (_length[token] != word.Length)
            {
                return false;
            }

            for (int i = 0; i < word.Length; i++)
            {
                if (_line[start + i] != word[i])
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsCurrency(int token)
        {
            if (_length[token] != 3)
            {
                return false;
            }

            for (int i = _start[token]; i < _start[token] + 3; i++)
            {
                if (_line[i] < (byte)'A' || _line[i] > (byte)'Z')
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsReference(int token)
        {
            if (_length[token] > HostLinkProtocol.MaxReferenceLength)
            {
                return false;
            }

            for (int i = _start[token]; i < _start[token] + _length[token]; i++)
            {
                byte b = _line[i];
                bool ok = (b >= (byte)'0' && b <= (byte)'9') || (b >= (byte)'A' && b <= (byte)'Z')
                    || (b >= (byte)'a' && b <= (byte)'z') || b == (byte)'.' || b == (byte)'_' || b == (byte)'-';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private string Text(int token)
        {
            char[] chars = new char[_length[token]];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)_line[_start[token] + i];
            }

            return new string(chars);
        }

        private HostLinkError Error(HostLinkError error, string text)
        {
            ErrorText = text;
            return error;
        }
    }
}
