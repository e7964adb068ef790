using Terminal.Countertop.Entry;
using Terminal.Drivers.Printer;
using Terminal.Payments.Journal;
using Terminal.Transactions;

namespace Terminal.Countertop.Receipts
{
    /// <summary>
    /// Writes receipts as ESC/POS bytes for a 58 mm printer (32 characters a line in font A): a transaction's
    /// merchant or customer copy, and the end-of-day report. Everything goes into the one
    /// <see cref="EscPosWriter"/> buffer; text from outside (names, references, Antom's ids and reasons) is printed
    /// as printable ASCII only (the writer's rule), so nothing in it can form a printer command.
    /// </summary>
    public sealed class ReceiptComposer
    {
        public const int Columns = 32;

        /// <summary>A receipt is at most this many bytes (the longest, a failed sale with a long reason, is ~700).</summary>
        public const int Capacity = 1536;

        private readonly ReceiptHeader _header;

        public ReceiptComposer(ReceiptHeader header)
        {
            _header = header;
        }

        /// <summary>A transaction's receipt: <paramref name="customerCopy"/> chooses the footer.</summary>
        public void Transaction(EscPosWriter w, DeskResult result, bool customerCopy, long printedEpochMs)
        {
            Head(w);
            w.Align(EscPosWriter.AlignCenter);
            w.Emphasis(true);
            w.CharacterSize(2, 2);
            w.Text(Title(result.Payment.Kind));
            w.LineFeed();
            w.CharacterSize(1, 1);
            w.Emphasis(false);
            w.Align(EscPosWriter.AlignLeft);
            Time(w, result.Payment.FinishedEpochMs > 0 ? result.Payment.FinishedEpochMs : printedEpochMs);
            Rule(w);

            w.Emphasis(true);
            w.CharacterSize(1, 2);
            Pair(w, "Amount", AmountFigures(result.AmountMinor, result.Currency), result.Currency);
            w.CharacterSize(1, 1);
            Pair(w, "Result", Outcome(result), null);
            w.Emphasis(false);
            Pair(w, "Reference", result.Reference, null);
            Wrapped(w, "Payment id", result.Payment.PaymentId);
            if (result.Payment.Kind == TransactionKind.Refund || result.Payment.Kind == TransactionKind.Void)
            {
                Wrapped(w, "Request id", result.Payment.RequestId);
            }

            if (!IsEmpty(result.Payment.WalletName))
            {
                Pair(w, "Wallet", result.Payment.WalletName, null);
            }

            if (result.Payment.Status != FinalStatus.Success)
            {
                Wrapped(w, "Code", result.Payment.ResultCode);
                Wrapped(w, "Reason", result.Payment.Reason);
            }

            Rule(w);
            w.Align(EscPosWriter.AlignCenter);
            w.Text(customerCopy ? "CUSTOMER COPY" : "MERCHANT COPY");
            w.LineFeed();
            w.Feed(4);
        }

        /// <summary>The end-of-day report of the closed period <paramref name="day"/>.</summary>
        public void DayReport(EscPosWriter w, DayTotals day, string currency, long printedEpochMs)
        {
            Head(w);
            w.Align(EscPosWriter.AlignCenter);
            w.Emphasis(true);
            w.CharacterSize(1, 2);
            w.Text("END OF DAY");
            w.LineFeed();
            w.CharacterSize(1, 1);
            w.Emphasis(false);
            w.Align(EscPosWriter.AlignLeft);
            w.Text("Period ");
            w.Number(day.Period, 1);
            w.LineFeed();
            w.Text("From ");
            CivilTime.Write(w, day.OpenedEpochMs);
            w.LineFeed();
            w.Text("To   ");
            CivilTime.Write(w, day.ClosedEpochMs > 0 ? day.ClosedEpochMs : printedEpochMs);
            w.LineFeed();
            Rule(w);
            Count(w, "Sales", day.SaleCount, day.SaleMinor, currency);
            Count(w, "Refunds", day.RefundCount, day.RefundMinor, currency);
            Count(w, "Voids", day.VoidCount, day.VoidMinor, currency);
            Rule(w);
            w.Emphasis(true);
            Pair(w, "Net", AmountFigures(day.NetMinor, currency), currency);
            w.Emphasis(false);
            w.Text("Needs review: ");
            w.Number(day.ReviewCount, 1);
            w.LineFeed();
            w.Feed(4);
        }

        /// <summary>"SALE", "REFUND", "VOID".</summary>
        public static string Title(TransactionKind kind)
        {
            return kind == TransactionKind.Refund ? "REFUND" : kind == TransactionKind.Void ? "VOID" : "SALE";
        }

        /// <summary>The result in a word, as the receipt and the menu print it.</summary>
        public static string Outcome(DeskResult result)
        {
            if (result.NeedsReview || result.Payment.Status == FinalStatus.NeedsReview)
            {
                return "NEEDS REVIEW";
            }

            switch (result.Payment.Status)
            {
                case FinalStatus.Success:
                    return "APPROVED";
                case FinalStatus.Cancelled:
                    return "CANCELLED";
                default:
                    return "DECLINED";
            }
        }

        private static string AmountFigures(long minor, string currency)
        {
            return minor < 0 ? "-" + AmountEntry.Figures(-minor, currency) : AmountEntry.Figures(minor, currency);
        }

        private void Head(EscPosWriter w)
        {
            w.Initialize();
            w.Align(EscPosWriter.AlignCenter);
            if (!IsEmpty(_header.MerchantName))
            {
                w.Emphasis(true);
                Line(w, _header.MerchantName);
                w.Emphasis(false);
            }

            if (!IsEmpty(_header.StoreName))
            {
                Line(w, _header.StoreName);
            }

            w.Text("Terminal ");
            Line(w, _header.TerminalId);
            w.LineFeed();
        }

        private static void Time(EscPosWriter w, long epochMs)
        {
            CivilTime.Write(w, epochMs);
            w.LineFeed();
        }

        private static void Rule(EscPosWriter w)
        {
            w.Repeat('-', Columns);
            w.LineFeed();
        }

        /// <summary>At most one line's worth of <paramref name="text"/>.</summary>
        private static void Line(EscPosWriter w, string text)
        {
            if (text != null)
            {
                w.Text(text, 0, text.Length > Columns ? Columns : text.Length);
            }

            w.LineFeed();
        }

        /// <summary>"Label" on the left, the value (and unit) on the right of one line.</summary>
        private static void Pair(EscPosWriter w, string label, string value, string unit)
        {
            int valueLength = (value == null ? 0 : value.Length) + (unit == null ? 0 : unit.Length + 1);
            int room = Columns - label.Length - 1;
            if (valueLength > room)
            {
                w.Text(label);
                w.LineFeed();
                room = Columns;
            }
            else
            {
                w.Text(label);
            }

            w.Repeat(' ', room - valueLength);
            if (value != null)
            {
                w.Text(value, 0, value.Length > Columns ? Columns : value.Length);
            }

            if (unit != null)
            {
                w.Char(' ');
                w.Text(unit);
            }

            w.LineFeed();
        }

        /// <summary>A label and a value that may be longer than a line (ids, reasons): the value wraps under it.</summary>
        private static void Wrapped(EscPosWriter w, string label, string value)
        {
            if (IsEmpty(value))
            {
                return;
            }

            if (label.Length + 1 + value.Length <= Columns)
            {
                Pair(w, label, value, null);
                return;
            }

            w.Text(label);
            w.LineFeed();
            for (int start = 0; start < value.Length; start += Columns)
            {
                int count = value.Length - start;
                w.Text(value, start, count > Columns ? Columns : count);
                w.LineFeed();
            }
        }

        private static void Count(EscPosWriter w, string label, int count, long minor, string currency)
        {
            Pair(w, label + " x" + count, AmountFigures(minor, currency), currency);
        }

        private static bool IsEmpty(string s)
        {
            return s == null || s.Length == 0;
        }
    }
}
