using Terminal.Core.Text;
using Terminal.Payments.Antom;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>The inquiry and cancel loops shared by sales, voids and recovery.</summary>
    public sealed partial class PaymentEngine
    {
        /// <summary>
        /// Polls inquiryPayment on the poll schedule until a final payment status, the monotonic
        /// <paramref name="deadline"/>, or (when <paramref name="abortable"/>) an abort. Unknown, untrusted,
        /// throttled and "not found yet" answers keep polling. Allocates nothing per iteration.
        /// </summary>
        /// <param name="resubmits">How often the pay may be sent again (same bytes) when the inquiry finds no order.</param>
        internal Verdict PollPayment(TransactionRecord rec, long deadline, bool abortable, bool waitFirst, int resubmits)
        {
            ResetPoll();
            bool throttled = false;
            bool first = true;
            bool orderCode = rec.Kind == TransactionKind.SaleOrderCode;
            long lastSent = long.MinValue;
            while (true)
            {
                // At least one inquiry is made, and the last one goes out at the deadline itself. For an order code
                // that deadline is the order's expiry: an inquiry sent before it but answered after it is followed by
                // one more, so that Antom's own closing of the order is seen rather than raced by our close.
                if (!first || waitFirst)
                {
                    if (Mono() < deadline)
                    {
                        long until = Mono() + _poll.Next(throttled);
                        SleepUntil(until < deadline ? until : deadline, abortable);
                    }
                    else if (!first && (!orderCode || lastSent >= deadline))
                    {
                        return Verdict.TimedOut;
                    }
                }

                first = false;
                if (abortable && AbortRequested())
                {
                    return Verdict.Aborted;
                }

                if (abortable && CodeOffered())
                {
                    return Verdict.CodeOffered;
                }

                throttled = false;
                lastSent = Mono();
                CallOutcome outcome = _client.InquiryPayment(rec);
                if (outcome == CallOutcome.Throttled)
                {
                    throttled = true;
                    continue;
                }

                if (outcome != CallOutcome.Answered)
                {
                    continue;
                }

                AntomResponse response = _client.Response;
                ResultAction action = ResultTable.Classify(response.ResultStatus, response.ResultCodeIndex, AntomApi.InquiryPayment);
                if (action == ResultAction.BackOff)
                {
                    throttled = true;
                    continue;
                }

                if (IsFinalFailure(action))
                {
                    _code.Set(response.ResultCode);
                    return Verdict.InquiryFailed;
                }

                if (action == ResultAction.Poll && resubmits > 0 && ResultTable.IsNotFound(response.ResultCodeIndex))
                {
                    // The pay never arrived: send the SAME request again (same id, amount and code; docs/antom-protocol.md 4.1).
                    resubmits--;
                    Verdict resent = Resubmit(rec);
                    if (resent != Verdict.Pending)
                    {
                        return resent;
                    }

                    continue;
                }

                if (action != ResultAction.FinalSuccess)
                {
                    continue;
                }

                // The inquiry worked; now the payment's own status (docs/antom-protocol.md 3.3).
                RemoteStatus status = response.PaymentStatus;
                if (status == RemoteStatus.Success)
                {
                    if (!response.PaymentRequestId.Equals(rec.RequestId))
                    {
                        continue; // SUCCESS must name our request (CheckPayment already refused another one)
                    }

                    if (!response.PaymentId.IsEmpty)
                    {
                        rec.PaymentId.Set(response.PaymentId);
                    }

                    TakeWalletName(rec, response);
                    return Verdict.Paid;
                }

                if (status == RemoteStatus.Fail)
                {
                    int index = ResultTable.Find(response.PaymentResultCode);
                    ResultAction codeAction = ResultTable.ActionAt(index);
                    if (IsFinalFailure(codeAction))
                    {
                        _code.Set(response.PaymentResultCode);
                        _failureFlags = FlagsFor(codeAction);
                    }
                    else
                    {
                        _code.SetAscii(EngineCodes.PaymentFailed);
                        _failureFlags = 0;
                    }

                    return Verdict.Failed;
                }

                if (status == RemoteStatus.Cancelled)
                {
                    _code.SetAscii(EngineCodes.Closed);
                    return Verdict.Closed;
                }

                // PROCESSING, PENDING, absent or unrecognised: not final, keep asking.
            }
        }

        /// <summary>The wallet that paid, when the answer names it (a later answer without it keeps what an earlier one said).</summary>
        private static void TakeWalletName(TransactionRecord rec, AntomResponse response)
        {
            if (!response.WalletName.IsEmpty)
            {
                rec.WalletName.Set(response.WalletName);
            }
        }

        /// <summary>Sends the journaled pay request again; Pending unless the answer is final.</summary>
        private Verdict Resubmit(TransactionRecord rec)
        {
            if (_client.Pay(rec) != CallOutcome.Answered)
            {
                return Verdict.Pending;
            }

            AntomResponse response = _client.Response;
            ResultAction action = ResultTable.Classify(response.ResultStatus, response.ResultCodeIndex, AntomApi.Pay);
            if (action == ResultAction.FinalSuccess && response.PaymentRequestId.Equals(rec.RequestId))
            {
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

            return Verdict.Pending;
        }

        /// <summary>
        /// Cancels by paymentRequestId on the cancel schedule (first attempt at once). The result code of the
        /// deciding answer is left in the scratch code.
        /// </summary>
        private CancelOutcome CancelLoop(TextField paymentRequestId)
        {
            if (_cancelSchedule.Waits != _config.Engine.CancelScheduleMs)
            {
                _cancelSchedule.Use(_config.Engine.CancelScheduleMs);
            }

            for (int attempt = 0; attempt < _cancelSchedule.Attempts; attempt++)
            {
                SleepUntil(Mono() + _cancelSchedule.WaitBefore(attempt), false);
                CallOutcome outcome = _client.Cancel(paymentRequestId);
                if (outcome != CallOutcome.Answered)
                {
                    continue;
                }

                AntomResponse response = _client.Response;
                ResultAction action = ResultTable.Classify(response.ResultStatus, response.ResultCodeIndex, AntomApi.Cancel);
                if (action == ResultAction.FinalSuccess)
                {
                    _code.Set(response.ResultCode);
                    return CancelOutcome.Cancelled;
                }

                if (IsFinalFailure(action))
                {
                    _code.Set(response.ResultCode);
                    return CancelOutcome.Refused;
                }
            }

            return CancelOutcome.Unconfirmed;
        }
    }
}
