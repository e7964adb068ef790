using Terminal.Core.Ports;
using Terminal.Countertop.Entry;
using Terminal.Countertop.Keys;
using Terminal.Countertop.Pin;
using Terminal.Countertop.Receipts;
using Terminal.Countertop.View;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Transactions;

namespace Terminal.Countertop.Menu
{
    /// <summary>
    /// The merchant menu behind the PIN: refund a recent sale (full or partial), void the last sale, the last result
    /// again, today's totals, end of day (printed, counters closed), reprint, device information, self-test, a new
    /// PIN. Driven by the front end's keys on the main loop; refunds and voids go to the desk like the host link's
    /// and are exactly-once through the journal like every refund. The menu closes itself after
    /// <see cref="IdleCloseMs"/> without a key, so that it is never left open on the counter.
    /// </summary>
    public sealed class MerchantMenu
    {
        public const long IdleCloseMs = 60000;

        private const int StatePin = 0;
        private const int StateMain = 1;
        private const int StateMessage = 2;
        private const int StateRefundPick = 3;
        private const int StateRefundAmount = 4;
        private const int StateVoidConfirm = 5;
        private const int StateDayConfirm = 6;
        private const int StateNewPin = 7;
        private const int StateNewPinAgain = 8;
        private const int StateRefundNumber = 9;

        /// <summary>The longest receipt number the menu takes (a register's numeric reference or the n of KP-n).</summary>
        private const int MaxNumberDigits = 9;

        private readonly TransactionDesk _desk;
        private readonly ICountertopView _view;
        private readonly PinVault _vault;
        private readonly ReceiptPrinter _printer;
        private readonly LinesSource _info;
        private readonly LinesSource _selfTest;
        private readonly ILog _log;
        private readonly string _currency;
        private readonly AmountEntry _refundAmount;
        private readonly char[] _digits = new char[PinHash.MaxDigits];
        private readonly char[] _number = new char[MaxNumberDigits];
        private readonly DayTotals _open = new DayTotals();
        private readonly DayTotals _closed = new DayTotals();
        private readonly string[] _mainLines = new string[]
        {
            "1 Refund", "2 Void last sale", "3 Last result", "4 Totals today", "5 End of day", "6 Reprint receipt",
            "7 Device info", "8 Self-test", "9 Change PIN", "OK next page, C leave",
        };

        private int _state;
        private int _digitCount;
        private int _numberCount;
        private string _newPin;
        private int _pick;
        private PaymentResult _chosen;
        private bool _refundTyped;
        private long _lastKeyMs;

        public MerchantMenu(TransactionDesk desk, ICountertopView view, PinVault vault, ReceiptPrinter printer, LinesSource info, LinesSource selfTest,
            string currency, long maxAmountMinor, ILog log)
        {
            _desk = desk;
            _view = view;
            _vault = vault;
            _printer = printer;
            _info = info;
            _selfTest = selfTest;
            _currency = currency;
            _log = log;
            _refundAmount = new AmountEntry(currency, maxAmountMinor);
        }

        /// <summary>True while the menu is open (from the PIN prompt on).</summary>
        public bool IsOpen { get; private set; }

        /// <summary>Opens the menu at the PIN prompt.</summary>
        public void Open(long nowMs)
        {
            IsOpen = true;
            _lastKeyMs = nowMs;
            _state = StatePin;
            _digitCount = 0;
            long locked = _vault.LockedForMs(nowMs);
            if (!_vault.IsSet)
            {
                Message("Menu", "No merchant PIN set.", "Set menuPin in the", "configuration.");
                _state = StatePin;
                return;
            }

            if (locked > 0)
            {
                ShowLocked(locked);
                return;
            }

            ShowPin("Merchant PIN", null);
        }

        /// <summary>Closes the menu (the front end gives the screen back).</summary>
        public void Close()
        {
            IsOpen = false;
            _chosen = null;
            _newPin = null;
            _digitCount = 0;
        }

        /// <summary>Main loop: closes the menu once nobody has pressed a key for <see cref="IdleCloseMs"/>.</summary>
        public void Tick(long nowMs)
        {
            if (IsOpen && nowMs - _lastKeyMs >= IdleCloseMs)
            {
                Log("menu: closed after a minute without a key");
                Close();
            }
        }

        /// <summary>One key; false when it is not for the menu (refused, to be buzzed).</summary>
        public bool Key(KeyAction action, char key, long nowMs)
        {
            _lastKeyMs = nowMs;
            if (action == KeyAction.Cancel || action == KeyAction.Menu)
            {
                if (_state == StateMain || _state == StatePin)
                {
                    Close();
                }
                else
                {
                    ShowMain();
                }

                return true;
            }

            switch (_state)
            {
                case StatePin:
                    return PinKey(action, key, nowMs);
                case StateMain:
                    return MainKey(action, key, nowMs);
                case StateMessage:
                    if (action == KeyAction.Digit)
                    {
                        _view.NextPage();
                    }
                    else
                    {
                        ShowMain();
                    }

                    return true;
                case StateRefundPick:
                    return RefundPickKey(action, key);
                case StateRefundNumber:
                    return RefundNumberKey(action, key);
                case StateRefundAmount:
                    return RefundAmountKey(action, key);
                case StateVoidConfirm:
                    return ConfirmKey(action, true);
                case StateDayConfirm:
                    return ConfirmKey(action, false);
                default:
                    return NewPinKey(action, key);
            }
        }

        private bool PinKey(KeyAction action, char key, long nowMs)
        {
            if (!_vault.IsSet)
            {
                Close();
                return true;
            }

            long locked = _vault.LockedForMs(nowMs);
            if (locked > 0)
            {
                _digitCount = 0;
                ShowLocked(locked);
                return action == KeyAction.Ok;
            }

            if (action == KeyAction.Digit)
            {
                if (_digitCount == _digits.Length)
                {
                    return false;
                }

                _digits[_digitCount++] = key;
                ShowPin("Merchant PIN", null);
                return true;
            }

            if (action == KeyAction.Back)
            {
                if (_digitCount == 0)
                {
                    return false;
                }

                _digitCount--;
                ShowPin("Merchant PIN", null);
                return true;
            }

            if (action != KeyAction.Ok)
            {
                return false;
            }

            string pin = new string(_digits, 0, _digitCount);
            _digitCount = 0;
            PinCheck check = _vault.Check(pin, nowMs);
            if (check == PinCheck.Accepted)
            {
                Log("menu: opened with the PIN");
                ShowMain();
                return true;
            }

            if (check == PinCheck.Locked)
            {
                ShowLocked(_vault.LockedForMs(nowMs));
                return false;
            }

            ShowPin("Wrong PIN", (PinVault.FreeTries - _vault.WrongTries) + " tries before a lock");
            return false;
        }

        private bool MainKey(KeyAction action, char key, long nowMs)
        {
            if (action == KeyAction.Ok || action == KeyAction.Back)
            {
                _view.NextPage();
                return true;
            }

            if (action != KeyAction.Digit)
            {
                return false;
            }

            switch (key)
            {
                case '1':
                    _pick = 0;
                    ShowPick();
                    return true;
                case '2':
                    return StartVoidConfirm();
                case '3':
                    DeskResult last = _desk.Last;
                    if (last == null)
                    {
                        Message("Last result", "No result since start.");
                        return true;
                    }

                    Close();
                    _view.ShowResult(last);
                    return true;
                case '4':
                    ShowTotals();
                    return true;
                case '5':
                    _state = StateDayConfirm;
                    _view.ShowLines("End of day", new string[] { "Close the day and", "print its totals?", "OK close, C back" });
                    return true;
                case '6':
                    if (_printer == null)
                    {
                        Message("Reprint", "No printer fitted.");
                    }
                    else if (_printer.Reprint())
                    {
                        Message("Reprint", "Printing the last", "receipt again.");
                    }
                    else
                    {
                        Message("Reprint", "No receipt yet.");
                    }

                    return true;
                case '7':
                    Lines("Device info", _info);
                    return true;
                case '8':
                    Lines("Self-test", _selfTest);
                    return true;
                case '9':
                    _state = StateNewPin;
                    _digitCount = 0;
                    ShowPin("New PIN", "4 to 8 digits, OK");
                    return true;
                default:
                    return false;
            }
        }

        private void ShowPick()
        {
            _chosen = _desk.Recent(_pick, true);
            if (_chosen == null && _pick > 0)
            {
                _pick = 0;
                _chosen = _desk.Recent(0, true);
            }

            if (_chosen == null)
            {
                Message("Refund", "No sale in the journal", "(or a transaction", "is running).");
                return;
            }

            _state = StateRefundPick;
            _view.ShowLines("Refund: sale " + (_pick + 1), new string[]
            {
                _chosen.Reference,
                AmountEntry.Figures(_chosen.AmountMinor, _chosen.Currency) + " " + _chosen.Currency + " " + StatusWord(_chosen),
                "refunded " + AmountEntry.Figures(_chosen.RefundedMinor, _chosen.Currency),
                "OK choose, * older",
                "or type receipt no.",
            });
        }

        private bool RefundPickKey(KeyAction action, char key)
        {
            if (action == KeyAction.Back)
            {
                _pick++;
                ShowPick();
                return true;
            }

            if (action == KeyAction.Digit)
            {
                _state = StateRefundNumber;
                _numberCount = 0;
                return RefundNumberKey(action, key);
            }

            return action == KeyAction.Ok && OfferRefund();
        }

        /// <summary>
        /// A receipt's number typed: the keypad's sale <c>KP-n</c> (the number printed after "Reference"), or a
        /// register's sale whose reference is those digits. Only sales the journal still holds can be found.
        /// </summary>
        private bool RefundNumberKey(KeyAction action, char key)
        {
            if (action == KeyAction.Digit)
            {
                if (_numberCount == _number.Length)
                {
                    return false;
                }

                _number[_numberCount++] = key;
            }
            else if (action == KeyAction.Back)
            {
                if (_numberCount == 0)
                {
                    ShowPick();
                    return true;
                }

                _numberCount--;
            }
            else if (action == KeyAction.Ok)
            {
                if (_numberCount == 0)
                {
                    return false;
                }

                string digits = new string(_number, 0, _numberCount);
                PaymentResult found = _desk.FindSale(KeypadReference.Prefix + digits);
                if (found == null)
                {
                    found = _desk.FindSale(digits);
                }

                if (found == null)
                {
                    Log("menu: no sale " + KeypadReference.Prefix + digits + " or " + digits + " in the journal");
                    Message("Refund", "No sale " + KeypadReference.Prefix + digits, "or " + digits + " in the", "journal.");
                    return false;
                }

                _chosen = found;
                return OfferRefund();
            }
            else
            {
                return false;
            }

            _view.ShowLines("Refund: receipt no.", new string[] { _numberCount == 0 ? "_" : new string(_number, 0, _numberCount), "OK find, * erase" });
            return true;
        }

        private bool OfferRefund()
        {
            long refundable = _chosen.AmountMinor - _chosen.RefundedMinor;
            if (_chosen.Status != FinalStatus.Success || _chosen.Voided || refundable <= 0)
            {
                Message("Refund", "Nothing to refund on", _chosen.Reference);
                return true;
            }

            _state = StateRefundAmount;
            _refundTyped = false;
            _refundAmount.Reset(refundable);
            _view.ShowAmount("Refund amount", _refundAmount.Text(), _chosen.Currency);
            return true;
        }

        private bool RefundAmountKey(KeyAction action, char key)
        {
            bool taken;
            if (action == KeyAction.Digit)
            {
                // The full amount is offered; the first digit starts a partial amount from nothing.
                if (!_refundTyped)
                {
                    _refundTyped = true;
                    _refundAmount.Reset(0);
                }

                taken = _refundAmount.Type(key - '0') && _refundAmount.Minor <= _chosen.AmountMinor - _chosen.RefundedMinor;
                if (!taken && _refundAmount.Minor > _chosen.AmountMinor - _chosen.RefundedMinor)
                {
                    _refundAmount.Erase();
                }
            }
            else if (action == KeyAction.Back)
            {
                _refundTyped = true;
                taken = _refundAmount.Erase();
            }
            else if (action == KeyAction.Ok)
            {
                if (_refundAmount.IsEmpty)
                {
                    return false;
                }

                string detail;
                DeskAnswer answer = _desk.Refund(_chosen.Reference, null, _refundAmount.Minor, out detail);
                Log("menu: refund of " + _chosen.Reference + " " + _refundAmount.Minor + ": " + AnswerWord(answer));
                return Started(answer, detail, "Refund");
            }
            else
            {
                return false;
            }

            _view.ShowAmount("Refund amount", _refundAmount.Text(), _chosen.Currency);
            return taken;
        }

        private bool StartVoidConfirm()
        {
            _chosen = _desk.Recent(0, true);
            if (_chosen == null || _chosen.Status != FinalStatus.Success || _chosen.Voided)
            {
                Message("Void", "The last sale cannot", "be voided (none, not", "paid or voided).");
                return true;
            }

            _state = StateVoidConfirm;
            _view.ShowLines("Void last sale?", new string[]
            {
                _chosen.Reference,
                AmountEntry.Figures(_chosen.AmountMinor, _chosen.Currency) + " " + _chosen.Currency,
                "OK void, C back",
            });
            return true;
        }

        private bool ConfirmKey(KeyAction action, bool isVoid)
        {
            if (action != KeyAction.Ok)
            {
                return false;
            }

            string detail;
            if (isVoid)
            {
                DeskAnswer answer = _desk.Void(_chosen.Reference, null, out detail);
                Log("menu: void of " + _chosen.Reference + ": " + AnswerWord(answer));
                return Started(answer, detail, "Void");
            }

            DeskAnswer closed = _desk.CloseDay(_closed, out detail);
            if (closed != DeskAnswer.Accepted)
            {
                Message("End of day", "Not closed:", detail);
                return true;
            }

            Log("menu: end of day, period " + _closed.Period + " closed");
            if (_printer != null)
            {
                _printer.PrintDayReport(_closed);
            }

            Message("Day closed", TotalsLines(_closed, _printer == null ? "No printer fitted" : "Report printing"));
            return true;
        }

        private bool NewPinKey(KeyAction action, char key)
        {
            if (action == KeyAction.Digit && _digitCount < _digits.Length)
            {
                _digits[_digitCount++] = key;
            }
            else if (action == KeyAction.Back && _digitCount > 0)
            {
                _digitCount--;
            }
            else if (action != KeyAction.Ok)
            {
                return false;
            }
            else if (_state == StateNewPin)
            {
                string first = new string(_digits, 0, _digitCount);
                _digitCount = 0;
                if (!PinHash.IsValidPin(first))
                {
                    ShowPin("New PIN", "4 to 8 digits, OK");
                    return false;
                }

                _newPin = first;
                _state = StateNewPinAgain;
            }
            else
            {
                string again = new string(_digits, 0, _digitCount);
                _digitCount = 0;
                bool same = again == _newPin;
                _newPin = null;
                if (!same)
                {
                    _state = StateNewPin;
                    ShowPin("New PIN", "did not match: again");
                    return false;
                }

                bool stored = _vault.Change(again);
                Log(stored ? "menu: PIN changed" : "menu: the new PIN could not be stored");
                Message("Change PIN", stored ? "The new PIN is set." : "Not stored: the old", stored ? string.Empty : "PIN stays.");
                return stored;
            }

            ShowPin(_state == StateNewPin ? "New PIN" : "New PIN again", "then OK");
            return true;
        }

        private bool Started(DeskAnswer answer, string detail, string what)
        {
            if (answer == DeskAnswer.Accepted)
            {
                // The desk's progress and result take the screen from here.
                Close();
                return true;
            }

            Message(what, what + " not started:", detail == null ? AnswerWord(answer) : detail);
            return false;
        }

        private void ShowTotals()
        {
            if (!_desk.ReadTotals(_open, _closed))
            {
                Message("Totals", "A transaction is", "running: try again.");
                return;
            }

            Message("Totals today", TotalsLines(_open, null));
        }

        private string[] TotalsLines(DayTotals t, string last)
        {
            string net = (t.NetMinor < 0 ? "-" + AmountEntry.Figures(-t.NetMinor, _currency) : AmountEntry.Figures(t.NetMinor, _currency)) + " " + _currency;
            return new string[]
            {
                "Period " + t.Period,
                "Sales " + t.SaleCount + " " + AmountEntry.Figures(t.SaleMinor, _currency),
                "Refunds " + t.RefundCount + " " + AmountEntry.Figures(t.RefundMinor, _currency),
                "Voids " + t.VoidCount + " " + AmountEntry.Figures(t.VoidMinor, _currency),
                "Net " + net,
                "Needs review " + t.ReviewCount,
                last == null ? string.Empty : last,
            };
        }

        private void Lines(string title, LinesSource source)
        {
            string[] lines = source == null ? null : source();
            if (lines == null || lines.Length == 0)
            {
                Message(title, "Not available.");
                return;
            }

            if (title == "Device info" && _printer != null)
            {
                string[] all = new string[lines.Length + 1];
                System.Array.Copy(lines, all, lines.Length);
                all[lines.Length] = _printer.DiagnosticLine();
                lines = all;
            }

            Message(title, lines);
        }

        private void ShowMain()
        {
            _state = StateMain;
            _chosen = null;
            _digitCount = 0;
            _view.ShowLines("Merchant menu", _mainLines);
        }

        private void ShowPin(string title, string hint)
        {
            char[] stars = new char[_digitCount];
            for (int i = 0; i < stars.Length; i++)
            {
                stars[i] = '*';
            }

            _view.ShowLines(title, new string[] { _digitCount == 0 ? "_" : new string(stars), hint == null ? "OK enter, C leave" : hint });
        }

        private void ShowLocked(long lockedMs)
        {
            _view.ShowLines("Menu locked", new string[] { "Too many wrong PINs.", "Try again in " + ((lockedMs + 999) / 1000) + " s.", "C leave" });
        }

        private void Message(string title, string line)
        {
            Message(title, new string[] { line });
        }

        private void Message(string title, string first, string second)
        {
            Message(title, new string[] { first, second });
        }

        private void Message(string title, string first, string second, string third)
        {
            Message(title, new string[] { first, second, third });
        }

        private void Message(string title, string[] lines)
        {
            _state = StateMessage;
            _view.ShowLines(title, lines);
        }

        private static string StatusWord(PaymentResult r)
        {
            if (r.Voided)
            {
                return "VOIDED";
            }

            return r.Status == FinalStatus.Success ? "PAID" : r.Status == FinalStatus.Cancelled ? "CANCELLED" : r.Status == FinalStatus.Failed ? "FAILED" : "REVIEW";
        }

        private static string AnswerWord(DeskAnswer answer)
        {
            return answer == DeskAnswer.Accepted ? "accepted" : answer == DeskAnswer.Busy ? "busy" : answer == DeskAnswer.NotFound ? "not found" : "refused";
        }

        private void Log(string message)
        {
            if (_log != null)
            {
                _log.Write(LogLevel.Info, message);
            }
        }
    }
}
