using Terminal.Firmware.HostLink;
using Terminal.Payments.Engine;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// Words for step lines. Statuses are spelled by the host link's words, never by an enum's ToString(), which
    /// gives the number on nanoFramework and the name on .NET: the two runtimes' lines must be identical.
    /// </summary>
    public static class StepText
    {
        /// <summary>"SUCCESS 1280 SGD R-1001 payment 2026...": what the register would learn.</summary>
        public static string Result(PaymentResult r)
        {
            if (r == null)
            {
                return "no result";
            }

            return HostLinkResult.OutcomeWord(HostLinkResultMapping.OutcomeOf(r.Status)) + " " + r.AmountMinor + " " + r.Currency + " " + r.Reference + " payment " + Or(r.PaymentId) + " (" + r.Reason + ")";
        }

        /// <summary>
        /// The RESULT and LAST fields of a journaled result, as the terminal's host link front end fills them from
        /// the transaction desk (every result here was journaled, so it carries its own reference and amount).
        /// </summary>
        public static HostLinkResult ToHostLink(PaymentResult r)
        {
            HostLinkResult h = new HostLinkResult();
            h.Kind = HostLinkResultMapping.KindOf(r.Kind);
            h.Reference = r.Reference;
            h.Outcome = HostLinkResultMapping.OutcomeOf(r.Status);
            h.AmountMinor = r.AmountMinor;
            h.Currency = r.Currency;
            h.PaymentId = r.PaymentId == null || r.PaymentId.Length == 0 ? null : r.PaymentId;
            h.ReasonCode = r.ResultCode == null || r.ResultCode.Length == 0 ? null : r.ResultCode;
            h.Message = r.Reason;
            return h;
        }

        /// <summary>8 hex digits, upper case.</summary>
        public static string Hex(uint value)
        {
            char[] digits = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                int nibble = (int)(value & 0xF);
                digits[i] = (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
                value >>= 4;
            }

            return new string(digits);
        }

        public static string Or(string text)
        {
            return text == null || text.Length == 0 ? "-" : text;
        }
    }
}
