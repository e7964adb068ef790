using Terminal.Core.Ports;
using Terminal.Payments.Antom;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>Refunds (refund, then inquiryRefund until final) and voids (cancel of a paid sale).</summary>
    public sealed partial class PaymentEngine
    {
        /// <summary>
        /// Refunds a paid sale, fully (<paramref name="amountMinor"/> 0: what is left after earlier refunds) or
        /// partly, then inquires until final (Antom sends no refund notifications in-store). The sale is found by
        /// its register reference; an empty reference means the newest sale.
        /// </summary>
        public PaymentResult Refund(string saleReference, long amountMinor)
        {
            ClearAbort();
            try
            {
                return RefundCore(saleReference, amountMinor);
            }
            catch (System.Exception e)
            {
                Log(LogLevel.Error, "engine: refund stopped by " + e.GetType().Name + ": " + e.Message);
                return PaymentResult.Refused(TransactionKind.Refund, EngineCodes.InternalError, EngineCodes.ReasonFor(EngineCodes.InternalError));
            }
        }

        /// <summary>
        /// Voids (cancels) a paid or unresolved sale. CANCEL_WINDOW_EXCEED ends Failed with
        /// <see cref="PaymentResult.SuggestRefund"/> set.
        /// </summary>
        public PaymentResult Void(string saleReference)
        {
            ClearAbort();
            try
            {
                return VoidCore(saleReference);
            }
            catch (System.Exception e)
            {
                Log(LogLevel.Error, "engine: void stopped by " + e.GetType().Name + ": " + e.Message);
                return PaymentResult.Refused(TransactionKind.Void, EngineCodes.InternalError, EngineCodes.ReasonFor(EngineCodes.InternalError));
            }
        }

        private PaymentResult RefundCore(string saleReference, long amountMinor)
        {
            if (!_journalUsable)
            {
                return Refuse(TransactionKind.Refund, EngineCodes.StorageError, EngineCodes.ReasonFor(EngineCodes.StorageError));
            }

            if (_journal.FindUnfinished() != null)
            {
                RecoverAll();
            }

            TransactionRecord sale = FindSale(saleReference);
            if (sale == null)
            {
                return Refuse(TransactionKind.Refund, EngineCodes.NotFound, EngineCodes.ReasonFor(EngineCodes.NotFound));
            }

            if (!sale.IsFinal || sale.Status != FinalStatus.Success || sale.HasFlag(TransactionRecord.FlagVoided) || sale.PaymentId.IsEmpty)
            {
                return Refuse(TransactionKind.Refund, EngineCodes.NotRefundable, EngineCodes.ReasonFor(EngineCodes.NotRefundable));
            }

            long left = sale.AmountMinor - sale.RefundedMinor;
            long amount = amountMinor == 0 ? left : amountMinor;
            if (amount <= 0 || amount > left)
            {
                return Refuse(TransactionKind.Refund, EngineCodes.InvalidRequest, "Invalid request: refund amount must be 1.." + left);
            }

            TransactionRecord rec = BeginRefund(sale, amount);
            if (!_journal.Commit())
            {
                _journal.Load();
                return Refuse(TransactionKind.Refund, EngineCodes.StorageError, EngineCodes.ReasonFor(EngineCodes.StorageError));
            }

            Processing();
            return RunRefund(rec, true);
        }

        /// <summary>A refund record of <paramref name="amount"/> for the sale, appended (not yet committed).</summary>
        private TransactionRecord BeginRefund(TransactionRecord sale, long amount)
        {
            TransactionRecord rec = _journal.Begin(TransactionKind.Refund, sale);
            rec.State = TransactionState.RefundPending;
            rec.AmountMinor = amount;
            rec.Currency.Set(sale.Currency);
            rec.PaymentId.Set(sale.PaymentId);
            rec.TargetRequestId.Set(sale.RequestId);
            rec.Reference.Set(sale.Reference);
            rec.CreatedEpochMs = _clock.UtcNowMs();
            _ids.Create(_config.Device.DeviceId, rec.Number, rec.RequestId);
            return rec;
        }

        /// <summary>Refund loop, then the final state; a confirmed refund adds to the sale's refunded amount in the same commit.</summary>
        private PaymentResult RunRefund(TransactionRecord rec, bool submitFirst)
        {
            Verdict v = RefundLoop(rec, Mono() + _config.Engine.CpmBudgetMs, submitFirst);
            TransactionRecord sale = _journal.FindSaleByRequestId(rec.TargetRequestId);
            if (sale != null && sale.Vend == VendState.Refunding)
            {
                // An automatic refund of a vend settles the vend in the refund's own final commit.
                sale.Vend = v == Verdict.Paid ? VendState.Refunded : VendState.Review;
            }

            if (v == Verdict.Paid)
            {
                if (sale != null)
                {
                    sale.RefundedMinor += rec.AmountMinor;
                }

                return Finish(rec, FinalStatus.Success, "SUCCESS", 0);
            }

            if (v == Verdict.Failed)
            {
                return Finish(rec, FinalStatus.Failed, _code, _failureFlags);
            }

            return Finish(rec, FinalStatus.NeedsReview, EngineCodes.RefundUnconfirmed, 0);
        }

        /// <summary>
        /// Sends the refund, then inquires; an inquiry that does not find the refund sends it again with the
        /// same refundRequestId and amount (idempotent, docs/antom-protocol.md 3.5). Not abortable.
        /// </summary>
        private Verdict RefundLoop(TransactionRecord rec, long deadline, bool submitFirst)
        {
            ResetPoll();
            bool submit = submitFirst;
            bool throttled = false;
            bool first = true;
            while (true)
            {
                if (!first)
                {
                    long until = Mono() + _poll.Next(throttled);
                    SleepUntil(until < deadline ? until : deadline, false);
                    if (Mono() >= deadline)
                    {
                        return Verdict.TimedOut;
                    }
                }

                first = false;
                throttled = false;
                CallOutcome outcome = submit ? _client.Refund(rec) : _client.InquiryRefund(rec);
                if (outcome == CallOutcome.Throttled)
                {
                    throttled = true;
                    continue;
                }

                if (outcome != CallOutcome.Answered)
                {
                    // Unknown after a refund: ask before sending again. Not sent: send again.
                    submit = submit && outcome == CallOutcome.NotSent;
                    continue;
                }

                AntomResponse response = _client.Response;
                ResultAction action = ResultTable.Classify(response.ResultStatus, response.ResultCodeIndex, submit ? AntomApi.Refund : AntomApi.InquiryRefund);
                if (action == ResultAction.BackOff)
                {
                    throttled = true;
                    continue;
                }

                if (submit)
                {
                    if (action == ResultAction.FinalSuccess)
                    {
                        if (RefundConfirmed(rec, response))
                        {
                            return Verdict.Paid;
                        }

                        submit = false;
                        continue;
                    }

                    if (IsFinalFailure(action))
                    {
                        _code.Set(response.ResultCode);
                        _failureFlags = FlagsFor(action);
                        return Verdict.Failed;
                    }

                    submit = false;
                    continue;
                }

                if (action == ResultAction.Poll && ResultTable.IsNotFound(response.ResultCodeIndex))
                {
                    submit = true; // the refund never arrived: send it again, same id and amount
                    continue;
                }

                if (action != ResultAction.FinalSuccess)
                {
                    continue;
                }

                RemoteStatus status = response.RefundStatus;
                if (status == RemoteStatus.Success && RefundConfirmed(rec, response))
                {
                    return Verdict.Paid;
                }

                if (status == RemoteStatus.Fail || status == RemoteStatus.Cancelled)
                {
                    _code.SetAscii(EngineCodes.RefundFailed);
                    _failureFlags = 0;
                    return Verdict.Failed;
                }
            }
        }

        /// <summary>A refund success counts only when it names our refundRequestId.</summary>
        private bool RefundConfirmed(TransactionRecord rec, AntomResponse response)
        {
            if (!response.RefundRequestId.Equals(rec.RequestId))
            {
                Log(LogLevel.Warning, "engine: refund success without our refundRequestId; inquiring");
                return false;
            }

            rec.ExternalId.Set(response.RefundId);
            return true;
        }

        private PaymentResult VoidCore(string saleReference)
        {
            if (!_journalUsable)
            {
                return Refuse(TransactionKind.Void, EngineCodes.StorageError, EngineCodes.ReasonFor(EngineCodes.StorageError));
            }

            if (_journal.FindUnfinished() != null)
            {
                RecoverAll();
            }

            TransactionRecord sale = FindSale(saleReference);
            if (sale == null)
            {
                return Refuse(TransactionKind.Void, EngineCodes.NotFound, EngineCodes.ReasonFor(EngineCodes.NotFound));
            }

            bool voidable = sale.IsFinal && !sale.HasFlag(TransactionRecord.FlagVoided)
                && (sale.Status == FinalStatus.Success || sale.Status == FinalStatus.NeedsReview);
            if (!voidable)
            {
                return Refuse(TransactionKind.Void, EngineCodes.NotVoidable, EngineCodes.ReasonFor(EngineCodes.NotVoidable));
            }

            TransactionRecord rec = _journal.Begin(TransactionKind.Void, sale);
            rec.State = TransactionState.VoidPending;
            rec.AmountMinor = sale.AmountMinor;
            rec.Currency.Set(sale.Currency);
            rec.PaymentId.Set(sale.PaymentId);
            rec.TargetRequestId.Set(sale.RequestId);
            rec.Reference.Set(sale.Reference);
            rec.CreatedEpochMs = _clock.UtcNowMs();
            if (!_journal.Commit())
            {
                _journal.Load();
                return Refuse(TransactionKind.Void, EngineCodes.StorageError, EngineCodes.ReasonFor(EngineCodes.StorageError));
            }

            if (_events != null)
            {
                _events.OnCancelling();
            }

            return RunVoid(rec);
        }

        private PaymentResult RunVoid(TransactionRecord rec)
        {
            CancelOutcome c = CancelLoop(rec.TargetRequestId);
            TransactionRecord sale = _journal.FindSaleByRequestId(rec.TargetRequestId);
            if (c == CancelOutcome.Unconfirmed)
            {
                return Finish(rec, FinalStatus.NeedsReview, EngineCodes.CancelUnconfirmed, 0);
            }

            if (c == CancelOutcome.Refused)
            {
                bool tooLate = _code.EqualsAscii("CANCEL_WINDOW_EXCEED");
                return Finish(rec, FinalStatus.Failed, _code, tooLate ? TransactionRecord.FlagSuggestRefund : 0);
            }

            // "Nothing to cancel" contradicts a sale we know was paid: a person must look.
            if (ResultTable.IsNotFound(ResultTable.Find(_code)) && (sale == null || sale.Status == FinalStatus.Success))
            {
                return Finish(rec, FinalStatus.NeedsReview, _code, 0);
            }

            if (sale != null)
            {
                sale.Flags |= TransactionRecord.FlagVoided;
                if (sale.Status == FinalStatus.NeedsReview)
                {
                    sale.Status = FinalStatus.Cancelled;
                }
            }

            return Finish(rec, FinalStatus.Success, "SUCCESS", 0);
        }
    }
}
