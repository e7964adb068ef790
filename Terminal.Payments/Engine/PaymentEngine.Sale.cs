using Terminal.Core.Ports;
using Terminal.Payments.Antom;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>Sales: order code (MPM) and payment code (CPM).</summary>
    public sealed partial class PaymentEngine
    {
        /// <summary>
        /// Runs a sale to its end and returns the result (also reported through <see cref="IPaymentEvents"/>).
        /// Order code: create order, show the QR, poll until final or expiry, close. Payment code: submit, then on
        /// U / timeout / 5xx inquire with the same id until final or the budget ends, then cancel.
        /// </summary>
        public PaymentResult RunSale(SaleRequest request)
        {
            ClearAbort();
            AcceptCodes(request != null && request.AcceptsPaymentCode && request.Mode == TransactionKind.SaleOrderCode);
            try
            {
                return RunSaleCore(request);
            }
            catch (System.Exception e)
            {
                Log(LogLevel.Error, "engine: sale stopped by " + e.GetType().Name + ": " + e.Message);
                return PaymentResult.Refused(request == null ? TransactionKind.None : request.Mode, EngineCodes.InternalError, EngineCodes.ReasonFor(EngineCodes.InternalError));
            }
            finally
            {
                AcceptCodes(false);
            }
        }

        private PaymentResult RunSaleCore(SaleRequest request)
        {
            if (!_journalUsable)
            {
                return Refuse(request == null ? TransactionKind.None : request.Mode, EngineCodes.StorageError, EngineCodes.ReasonFor(EngineCodes.StorageError));
            }

            string problem = SaleRequestCheck.Problem(request, _config.Engine.Currency);
            if (problem != null)
            {
                return Refuse(request == null ? TransactionKind.None : request.Mode, EngineCodes.InvalidRequest, "Invalid request: " + problem);
            }

            if (_journal.FindUnfinished() != null)
            {
                RecoverAll();
            }

            string currency = request.Currency == null ? _config.Engine.Currency : request.Currency;
            if (request.Reference != null && request.Reference.Length > 0)
            {
                TransactionRecord previous = FindSale(request.Reference);
                if (previous != null && previous.IsFinal)
                {
                    PaymentResult answer = CheckPrevious(previous);
                    if (answer != null)
                    {
                        return answer;
                    }
                }
            }

            TransactionRecord rec = _journal.Begin(request.Mode, null);
            rec.State = TransactionState.PayPending;
            rec.AmountMinor = request.AmountMinor;
            rec.Currency.SetAscii(currency);
            rec.Reference.SetAscii(request.Reference);
            rec.PaymentCode.SetAscii(request.PaymentCode);
            rec.CreatedEpochMs = _clock.UtcNowMs();
            if (request.Vend)
            {
                rec.Vend = VendState.Pending;
                rec.VendItem = request.VendItem;
                rec.CreditUnits = request.CreditUnits;
            }

            _ids.Create(_config.Device.DeviceId, rec.Number, rec.RequestId);
            if (!_journal.Commit())
            {
                _journal.Load();
                return Refuse(request.Mode, EngineCodes.StorageError, EngineCodes.ReasonFor(EngineCodes.StorageError));
            }

            Log(LogLevel.Info, "engine: sale " + rec.Number + " started as " + rec.RequestId.ToString());
            return request.Mode == TransactionKind.SaleOrderCode ? RunOrderCode(rec, currency) : RunPaymentCode(rec);
        }

        /// <summary>
        /// A reference names one sale: a paid one is reported again instead of charging twice; an unresolved one
        /// is inquired once more and blocks a new payment until resolved. Null: a new payment may start.
        /// </summary>
        private PaymentResult CheckPrevious(TransactionRecord previous)
        {
            if (previous.Status == FinalStatus.Success && !previous.HasFlag(TransactionRecord.FlagVoided))
            {
                PaymentResult paid = PaymentResult.From(previous, "Already paid");
                Report(paid);
                return paid;
            }

            if (previous.Status != FinalStatus.NeedsReview)
            {
                return null;
            }

            Verdict v = PollPayment(previous, Mono() + (2L * _config.Engine.PollIntervalMs), false, false, 0);
            if (v == Verdict.Paid)
            {
                return Finish(previous, FinalStatus.Success, "SUCCESS", 0);
            }

            if (v == Verdict.Failed || v == Verdict.Closed)
            {
                previous.Status = v == Verdict.Failed ? FinalStatus.Failed : FinalStatus.Cancelled;
                previous.ResultCode.Set(_code);
                _journal.Commit();
                return null;
            }

            return Refuse(previous.Kind, EngineCodes.PreviousUnresolved, EngineCodes.ReasonFor(EngineCodes.PreviousUnresolved));
        }

        private PaymentResult RunPaymentCode(TransactionRecord rec)
        {
            Processing();
            long deadline = Mono() + _config.Engine.CpmBudgetMs;
            bool sent = false;
            Verdict v = SubmitPaymentCode(rec, deadline, ref sent);
            if (v == Verdict.Pending)
            {
                v = PollPayment(rec, deadline, true, true, PayResubmits);
            }

            return Conclude(rec, v, sent, EngineCodes.Timeout);
        }

        /// <summary>
        /// Sends the pay request, repeating it (same id, same bytes) only while it certainly did not arrive or was
        /// throttled. Pending: the outcome is open (U, timeout after sending, 5xx, untrusted answer).
        /// </summary>
        private Verdict SubmitPaymentCode(TransactionRecord rec, long deadline, ref bool sent)
        {
            ResetPoll();
            while (true)
            {
                if (AbortRequested())
                {
                    return Verdict.Aborted;
                }

                bool throttled = false;
                CallOutcome outcome = _client.Pay(rec);
                if (outcome == CallOutcome.Answered)
                {
                    sent = true;
                    AntomResponse response = _client.Response;
                    ResultAction action = ResultTable.Classify(response.ResultStatus, response.ResultCodeIndex, AntomApi.Pay);
                    if (action == ResultAction.FinalSuccess)
                    {
                        if (!response.PaymentRequestId.Equals(rec.RequestId))
                        {
                            Log(LogLevel.Warning, "engine: pay success without our paymentRequestId; inquiring");
                            return Verdict.Pending;
                        }

                        rec.PaymentId.Set(response.PaymentId);
                        TakeWalletName(rec, response);
                        return Verdict.Paid;
                    }

                    if (IsFinalFailure(action))
                    {
                        _code.Set(response.ResultCode);
                        _failureFlags = FlagsFor(action);
                        return Verdict.Failed;
                    }

                    if (action != ResultAction.BackOff)
                    {
                        return Verdict.Pending;
                    }

                    throttled = true;
                }
                else if (outcome == CallOutcome.Unknown)
                {
                    sent = true;
                    return Verdict.Pending;
                }
                else if (outcome == CallOutcome.Throttled)
                {
                    sent = true;
                    throttled = true;
                }

                long until = Mono() + _poll.Next(throttled);
                SleepUntil(until < deadline ? until : deadline, true);
                if (Mono() >= deadline)
                {
                    return sent ? Verdict.Pending : Verdict.TimedOut;
                }
            }
        }

        private PaymentResult RunOrderCode(TransactionRecord rec, string currency)
        {
            Processing();
            bool sent = false;
            bool created = false;
            bool throttled = false;
            ResetPoll();
            for (int attempt = 0; attempt < OrderCreateAttempts && !created; attempt++)
            {
                if (attempt > 0)
                {
                    SleepUntil(Mono() + _poll.Next(throttled), true);
                }

                if (AbortRequested())
                {
                    return Conclude(rec, Verdict.Aborted, sent, EngineCodes.Aborted);
                }

                if (CodeOffered())
                {
                    return SwitchToCode(rec, sent, false);
                }

                throttled = false;
                CallOutcome outcome = _client.Pay(rec);
                if (outcome == CallOutcome.Answered)
                {
                    sent = true;
                    AntomResponse response = _client.Response;
                    ResultAction action = ResultTable.Classify(response.ResultStatus, response.ResultCodeIndex, AntomApi.Pay);
                    if (action == ResultAction.FinalSuccess && response.PaymentRequestId.Equals(rec.RequestId))
                    {
                        rec.PaymentId.Set(response.PaymentId);
                        if (response.CodeValueTooLong)
                        {
                            return Conclude(rec, Verdict.CannotDisplay, true, EngineCodes.CodeTooLong);
                        }

                        created = !response.CodeValue.IsEmpty;
                    }
                    else if (IsFinalFailure(action))
                    {
                        _code.Set(response.ResultCode);
                        _failureFlags = FlagsFor(action);
                        return Conclude(rec, Verdict.Failed, true, null);
                    }
                    else
                    {
                        throttled = action == ResultAction.BackOff;
                    }
                }
                else if (outcome == CallOutcome.Unknown || outcome == CallOutcome.Throttled)
                {
                    sent = true;
                    throttled = outcome == CallOutcome.Throttled;
                }
            }

            if (!created)
            {
                return CodeOffered() ? SwitchToCode(rec, sent, false) : Conclude(rec, Verdict.Unresolved, sent, EngineCodes.Unresolved);
            }

            // The QR lets the customer pay: journal the order (with its expiry, for boot recovery) before showing it.
            long remaining = OrderLifetime(_client.Response);
            long deadline = Mono() + remaining;
            rec.State = TransactionState.OrderCreated;
            rec.OrderExpiresEpochMs = _clock.UtcNowMs() + remaining;
            if (!_journal.Commit())
            {
                return Conclude(rec, Verdict.Unresolved, true, EngineCodes.StorageError);
            }

            if (CodeOffered())
            {
                // The code came while the order was being created: nobody has seen its QR, close it at once.
                return SwitchToCode(rec, true, false);
            }

            AntomResponse created0 = _client.Response;
            if (_events != null)
            {
                _events.OnShowQr(created0.CodeValue.Bytes, 0, created0.CodeValue.Length, rec.AmountMinor, currency, (int)remaining);
                _events.OnWaitingForCustomer();
            }

            Verdict v = PollPayment(rec, deadline, true, true, 0);
            return v == Verdict.CodeOffered ? SwitchToCode(rec, true, true) : Conclude(rec, v, true, EngineCodes.Expired);
        }

        /// <summary>
        /// How long the order code lives: expireTime minus the gateway's Response-Time (both the server's clock, so
        /// a skewed device clock does not matter), else minus our wall clock, else the configured MPM budget.
        /// </summary>
        private long OrderLifetime(AntomResponse response)
        {
            long remaining = _config.Engine.MpmBudgetMs;
            if (response.HasExpireTime)
            {
                long now = response.HasResponseTime ? response.ResponseEpochMs : _clock.UtcNowMs();
                long left = response.ExpireEpochMs - now;
                if (left > 0)
                {
                    remaining = left;
                }
            }

            return remaining > MaxOrderWaitMs ? MaxOrderWaitMs : remaining;
        }

        /// <summary>
        /// Turns a verdict into the final state. Anything open (timeout, abort, unknown) is cancelled, unless the
        /// request certainly never reached the server.
        /// </summary>
        private PaymentResult Conclude(TransactionRecord rec, Verdict v, bool sent, string openCode)
        {
            switch (v)
            {
                case Verdict.Paid:
                    return Finish(rec, FinalStatus.Success, "SUCCESS", 0);
                case Verdict.Failed:
                    return Finish(rec, FinalStatus.Failed, _code, _failureFlags);
                case Verdict.Closed:
                    return Finish(rec, FinalStatus.Cancelled, EngineCodes.Closed, 0);
            }

            string code = v == Verdict.Aborted ? EngineCodes.Aborted : openCode;
            if (!sent)
            {
                return Finish(rec, FinalStatus.Cancelled, v == Verdict.Aborted ? EngineCodes.Aborted : EngineCodes.NotSent, 0);
            }

            return CancelAndConclude(rec, ReasonFor(v), code);
        }

        /// <summary>Journals CancelPending, cancels on the cancel schedule, and concludes.</summary>
        private PaymentResult CancelAndConclude(TransactionRecord rec, CancelReason reason, string code)
        {
            rec.State = TransactionState.CancelPending;
            rec.CancelReason = reason;
            if (!_journal.Commit())
            {
                // The journaled state (pay pending / order created) recovers by inquiring and cancelling too.
                Log(LogLevel.Error, "engine: cancel not journaled; cancelling anyway");
            }

            if (_events != null)
            {
                _events.OnCancelling();
            }

            CancelOutcome c = CancelLoop(rec.RequestId);
            if (c == CancelOutcome.Cancelled)
            {
                return Finish(rec, FinalStatus.Cancelled, code, 0);
            }

            if (c == CancelOutcome.Unconfirmed)
            {
                return Finish(rec, FinalStatus.NeedsReview, EngineCodes.CancelUnconfirmed, 0);
            }

            // Refused (e.g. ORDER_STATUS_INVALID): the payment may have completed; ask once more.
            Log(LogLevel.Warning, "engine: cancel refused with " + _code.ToString());
            Verdict v = PollPayment(rec, Mono() + (2L * _config.Engine.PollIntervalMs), false, false, 0);
            if (v == Verdict.Paid)
            {
                return Finish(rec, FinalStatus.Success, "SUCCESS", 0);
            }

            if (v == Verdict.Failed)
            {
                return Finish(rec, FinalStatus.Failed, _code, _failureFlags);
            }

            if (v == Verdict.Closed)
            {
                return Finish(rec, FinalStatus.Cancelled, code, 0);
            }

            return Finish(rec, FinalStatus.NeedsReview, EngineCodes.CancelRefused, 0);
        }

        private static CancelReason ReasonFor(Verdict v)
        {
            switch (v)
            {
                case Verdict.Aborted:
                    return CancelReason.Aborted;
                case Verdict.TimedOut:
                    return CancelReason.Timeout;
                case Verdict.InquiryFailed:
                    return CancelReason.InquiryFailed;
                case Verdict.CannotDisplay:
                    return CancelReason.CannotDisplay;
                default:
                    return CancelReason.Unresolved;
            }
        }

        private static bool IsFinalFailure(ResultAction action)
        {
            return action == ResultAction.FinalFail || action == ResultAction.NeedsNewId || action == ResultAction.ConfigurationError;
        }

        private PaymentResult Refuse(TransactionKind kind, string code, string reason)
        {
            PaymentResult result = PaymentResult.Refused(kind, code, reason);
            Log(LogLevel.Warning, "engine: refused: " + reason);
            Report(result);
            return result;
        }

        private void Report(PaymentResult result)
        {
            if (_events != null)
            {
                _events.OnResult(result);
            }
        }

        private void Processing()
        {
            if (_events != null)
            {
                _events.OnProcessing();
            }
        }
    }
}
