using System.Threading;
using Terminal.Core.Ports;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>
    /// Sales the customer pays either way: the order code is shown and the customer may present a payment code
    /// instead. Antom charges a sale once only if the terminal keeps two requests from both succeeding, so the code is
    /// charged only after the order is final and unpaid: an order nobody could have paid yet (its QR not shown) is
    /// closed at once; a shown one is inquired first, and if the customer already paid it the code is refused (the
    /// sale is paid); otherwise it is closed (cancel, journaled before it is sent) and the code is charged as a new
    /// payment-code sale with the same reference. A close that cannot be confirmed refuses the code and ends for
    /// review. Antom's cancel also reverses an order paid in the instant between the inquiry and the cancel, so no
    /// customer is ever charged twice (docs/antom-protocol.md 3.4).
    /// </summary>
    public sealed partial class PaymentEngine
    {
        private readonly object _offerGate = new object();
        private bool _acceptingCode;
        private string _offeredCode;

        /// <summary>
        /// The customer's payment code for the running sale that accepts one (<see cref="SaleRequest.AcceptsPaymentCode"/>):
        /// the engine stops waiting for the order and settles it as described above. False when no such sale is
        /// waiting (none runs, it already ended, or a code was already offered): the code is not used. Safe from any
        /// thread; the caller checks the code first (it is charged as it is).
        /// </summary>
        public bool OfferPaymentCode(string code)
        {
            if (code == null || code.Length == 0)
            {
                return false;
            }

            Monitor.Enter(_offerGate);
            try
            {
                if (!_acceptingCode || _offeredCode != null)
                {
                    return false;
                }

                _offeredCode = code;
            }
            finally
            {
                Monitor.Exit(_offerGate);
            }

            _sleeper.Wake();
            return true;
        }

        private void AcceptCodes(bool accepting)
        {
            Monitor.Enter(_offerGate);
            try
            {
                _acceptingCode = accepting;
                _offeredCode = null;
            }
            finally
            {
                Monitor.Exit(_offerGate);
            }
        }

        private bool CodeOffered()
        {
            Monitor.Enter(_offerGate);
            try
            {
                return _offeredCode != null;
            }
            finally
            {
                Monitor.Exit(_offerGate);
            }
        }

        /// <summary>The offered code; no other is taken from now on.</summary>
        private string TakeOfferedCode()
        {
            Monitor.Enter(_offerGate);
            try
            {
                _acceptingCode = false;
                return _offeredCode;
            }
            finally
            {
                Monitor.Exit(_offerGate);
            }
        }

        /// <summary>
        /// Settles the open order <paramref name="order"/> for the offered code: <paramref name="sent"/> whether its
        /// pay may have reached the server, <paramref name="shown"/> whether its QR was shown (anyone could have paid it).
        /// </summary>
        private PaymentResult SwitchToCode(TransactionRecord order, bool sent, bool shown)
        {
            string code = TakeOfferedCode();
            Processing();
            Log(LogLevel.Info, "engine: payment code offered during order " + order.Number + "; settling the order first");
            if (!sent)
            {
                Close(order, FinalStatus.Cancelled, 0, EngineCodes.NotSent);
                return PayByCode(order, code);
            }

            Verdict v = Verdict.Pending;
            if (shown)
            {
                v = PollPayment(order, Mono(), false, false, 0);
                if (v == Verdict.Paid)
                {
                    Log(LogLevel.Info, "engine: the order was paid first; the payment code is not charged");
                    return Finish(order, FinalStatus.Success, "SUCCESS", 0);
                }
            }

            if (v == Verdict.Failed || v == Verdict.Closed)
            {
                Close(order, v == Verdict.Failed ? FinalStatus.Failed : FinalStatus.Cancelled, _failureFlags, _code.ToString());
                return PayByCode(order, code);
            }

            order.State = TransactionState.CancelPending;
            order.CancelReason = CancelReason.ClosedForCode;
            if (!_journal.Commit())
            {
                Log(LogLevel.Error, "engine: close for the payment code not journaled; closing anyway");
            }

            CancelOutcome c = CancelLoop(order.RequestId);
            if (c == CancelOutcome.Cancelled)
            {
                Close(order, FinalStatus.Cancelled, 0, EngineCodes.ClosedForCode);
                return PayByCode(order, code);
            }

            if (c == CancelOutcome.Unconfirmed)
            {
                return Finish(order, FinalStatus.NeedsReview, EngineCodes.CancelUnconfirmed, 0);
            }

            // Refused (e.g. ORDER_STATUS_INVALID): the customer may have paid the order just now.
            v = PollPayment(order, Mono() + (2L * _config.Engine.PollIntervalMs), false, false, 0);
            if (v == Verdict.Paid)
            {
                return Finish(order, FinalStatus.Success, "SUCCESS", 0);
            }

            if (v == Verdict.Failed || v == Verdict.Closed)
            {
                Close(order, v == Verdict.Failed ? FinalStatus.Failed : FinalStatus.Cancelled, _failureFlags, _code.ToString());
                return PayByCode(order, code);
            }

            return Finish(order, FinalStatus.NeedsReview, EngineCodes.CancelRefused, 0);
        }

        private void Close(TransactionRecord rec, FinalStatus status, int flags, string code)
        {
            rec.ResultCode.SetAscii(code);
            Close(rec, status, flags);
        }

        /// <summary>The order is final and unpaid: the code is charged as a new payment-code sale, journaled first.</summary>
        private PaymentResult PayByCode(TransactionRecord order, string code)
        {
            long amount = order.AmountMinor;
            long orderNumber = order.Number;
            TransactionRecord rec = _journal.Begin(TransactionKind.SalePaymentCode, order);
            rec.State = TransactionState.PayPending;
            rec.AmountMinor = amount;
            rec.Currency.Set(order.Currency);
            rec.Reference.Set(order.Reference);
            rec.CreatedEpochMs = _clock.UtcNowMs();
            if (order.Vend != VendState.None)
            {
                // The goods are owed for whichever way paid: the code's sale carries the vend, the closed order none.
                rec.Vend = VendState.Pending;
                rec.VendItem = order.VendItem;
                rec.CreditUnits = order.CreditUnits;
            }

            if (!rec.PaymentCode.SetAscii(code))
            {
                _journal.Load();
                return Refuse(TransactionKind.SalePaymentCode, EngineCodes.InvalidRequest, "Invalid request: payment code too long");
            }

            _ids.Create(_config.Device.DeviceId, rec.Number, rec.RequestId);
            if (!_journal.Commit())
            {
                _journal.Load();
                return Refuse(TransactionKind.SalePaymentCode, EngineCodes.StorageError, EngineCodes.ReasonFor(EngineCodes.StorageError));
            }

            Log(LogLevel.Info, "engine: order " + orderNumber + " closed; payment code sale " + rec.Number + " started as " + rec.RequestId.ToString());
            return RunPaymentCode(rec);
        }
    }
}
