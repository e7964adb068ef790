using Terminal.Core.Ports;
using Terminal.Countertop.Entry;
using Terminal.Countertop.Keys;
using Terminal.Countertop.Menu;
using Terminal.Countertop.Receipts;
using Terminal.Countertop.Sound;
using Terminal.Countertop.View;
using Terminal.Drivers.Keypad;
using Terminal.Transactions;

namespace Terminal.Countertop
{
    /// <summary>
    /// The standalone countertop's front end of the <see cref="TransactionDesk"/>, beside the host link: the cashier
    /// types an amount (<see cref="AmountEntry"/>), OK starts a sale the customer pays either way (the order QR is
    /// shown while the scanner waits for the customer's code), cancel aborts the sale in progress as the host link's
    /// ABORT does, OK acknowledges a result, and the menu key opens the <see cref="MerchantMenu"/> behind the PIN.
    /// Keys pressed while a transaction runs are refused (a buzz) except cancel, so mashed keys change nothing.
    /// Everything happens on the main loop (<see cref="Poll"/>); while it shows the amount or the menu it holds the
    /// screen (<see cref="HoldsScreen"/>), and gives it back when the desk takes over or the cashier leaves.
    /// On a vending machine (<see cref="SellAsVends"/>) OK hands the amount to the vending front end instead, so a
    /// typed price is a vend the machine is credited for (docs/vending.md section 1).
    /// </summary>
    public sealed class CountertopFrontEnd
    {
        /// <summary>On a vending machine, an amount left this long without a key is dropped (the machine's offer comes back).</summary>
        public const int VendEntryIdleMs = 60000;

        /// <summary>The amount screen's title when the vending front end refused the amount typed.</summary>
        public const string RefusedTitle = "Amount refused";

        private const int ModeIdle = 0;
        private const int ModeEntry = 1;
        private const int ModeMenu = 2;

        private readonly TransactionDesk _desk;
        private readonly Keypad _keypad;
        private readonly ICountertopView _view;
        private readonly MerchantMenu _menu;
        private readonly SoundCues _sound;
        private readonly ReceiptPrinter _printer;
        private readonly ILog _log;
        private readonly string _currency;
        private readonly AmountEntry _entry;
        private AmountSale _vendSale;
        private long _lastKeyMs;
        private int _mode;

        /// <param name="keypad">The keypad driver (null: keys come only through <see cref="Press"/>).</param>
        /// <param name="sound">The buzzer's cues, or null without a buzzer.</param>
        /// <param name="printer">The receipt printer, or null without one.</param>
        public CountertopFrontEnd(TransactionDesk desk, Keypad keypad, ICountertopView view, MerchantMenu menu, SoundCues sound, ReceiptPrinter printer,
            string currency, long maxAmountMinor, ILog log)
        {
            if (desk == null)
            {
                throw new System.ArgumentNullException("desk");
            }

            if (view == null)
            {
                throw new System.ArgumentNullException("view");
            }

            _desk = desk;
            _keypad = keypad;
            _view = view;
            _menu = menu;
            _sound = sound;
            _printer = printer;
            _currency = currency;
            _log = log;
            _entry = new AmountEntry(currency, maxAmountMinor);
        }

        /// <summary>True while the amount entry or the menu is on the screen (the idle screen must not replace it).</summary>
        public bool HoldsScreen
        {
            get { return _mode != ModeIdle; }
        }

        /// <summary>True while the merchant menu is open.</summary>
        public bool InMenu
        {
            get { return _mode == ModeMenu; }
        }

        /// <summary>The amount typed so far (minor units).</summary>
        public long EnteredMinor
        {
            get { return _entry.Minor; }
        }

        /// <summary>Keys refused since start (pressed while they had no use).</summary>
        public int RefusedKeys { get; private set; }

        /// <summary>
        /// A vending machine's keypad: OK starts <paramref name="sale"/> (the vending front end's vend) for the typed
        /// amount instead of an ordinary sale, which would charge the customer and credit the machine nothing. An
        /// amount it refuses stays on the screen under <see cref="RefusedTitle"/>; nothing is charged.
        /// </summary>
        public void SellAsVends(AmountSale sale)
        {
            _vendSale = sale;
        }

        /// <summary>Main loop: scans the keypad, acts on its keys, plays the buzzer and moves the printer on.</summary>
        public void Poll(long nowMs)
        {
            if (_mode != ModeIdle && _desk.IsBusy)
            {
                // A sale from the host link (or recovery) took the desk: what was typed here is dropped.
                Log("keypad: " + (_mode == ModeMenu ? "menu closed" : "amount dropped") + ": the desk is busy");
                Leave();
            }

            if (_mode == ModeEntry && _vendSale != null && nowMs - _lastKeyMs > VendEntryIdleMs)
            {
                Log("keypad: amount dropped: no key for " + (VendEntryIdleMs / 1000) + " s");
                Leave();
            }

            if (_mode == ModeMenu)
            {
                _menu.Tick(nowMs);
                if (!_menu.IsOpen)
                {
                    _mode = ModeIdle;
                }
            }

            if (_keypad != null)
            {
                _keypad.Scan(nowMs);
                char key;
                while (_keypad.TryTake(out key))
                {
                    Press(key, nowMs);
                }
            }

            if (_sound != null)
            {
                _sound.Tick(nowMs);
            }

            if (_printer != null)
            {
                _printer.Poll(nowMs);
            }
        }

        /// <summary>Main loop: one key, as if pressed on the keypad.</summary>
        public void Press(char key, long nowMs)
        {
            _lastKeyMs = nowMs;
            KeyAction action = KeyMap.Classify(key);
            bool taken = action != KeyAction.None && Act(action, key, nowMs);
            if (!taken)
            {
                RefusedKeys++;
            }

            if (_sound != null)
            {
                _sound.Cue(taken ? SoundCues.CueKey : SoundCues.CueRefused);
            }
        }

        private bool Act(KeyAction action, char key, long nowMs)
        {
            if (_mode == ModeMenu)
            {
                bool taken = _menu.Key(action, key, nowMs);
                if (!_menu.IsOpen)
                {
                    _mode = ModeIdle;
                }

                return taken;
            }

            if (_desk.IsBusy)
            {
                if (action == KeyAction.Cancel || action == KeyAction.Back)
                {
                    string detail;
                    return _desk.Abort(out detail) == DeskAnswer.Accepted;
                }

                return false;
            }

            if (_view.ResultShown)
            {
                if (action == KeyAction.Ok || action == KeyAction.Cancel)
                {
                    _view.Acknowledge(_desk.Phase == DeskPhase.Scanning);
                    return true;
                }

                return false;
            }

            if (action == KeyAction.Menu || (action == KeyAction.Back && _mode == ModeIdle))
            {
                return OpenMenu(nowMs);
            }

            return EntryKey(action, key);
        }

        private bool OpenMenu(long nowMs)
        {
            if (_menu == null)
            {
                return false;
            }

            _entry.Reset(0);
            _mode = ModeMenu;
            _menu.Open(nowMs);
            if (!_menu.IsOpen)
            {
                _mode = ModeIdle;
            }

            return true;
        }

        private bool EntryKey(KeyAction action, char key)
        {
            bool taken;
            switch (action)
            {
                case KeyAction.Digit:
                    taken = _entry.Type(key - '0');
                    break;
                case KeyAction.Back:
                    taken = _entry.Erase();
                    break;
                case KeyAction.Cancel:
                    taken = _mode == ModeEntry;
                    _entry.Reset(0);
                    break;
                case KeyAction.Ok:
                    return _mode == ModeEntry && !_entry.IsEmpty && StartSale();
                default:
                    return false;
            }

            if (_entry.IsEmpty && action == KeyAction.Cancel)
            {
                Leave();
                return taken;
            }

            _mode = ModeEntry;
            _view.ShowAmount("Enter amount", _entry.Text(), _currency);
            return taken;
        }

        private bool StartSale()
        {
            if (_vendSale != null)
            {
                return StartVend();
            }

            string reference = _desk.NewReference(KeypadReference.Prefix);
            string detail = null;
            DeskAnswer answer = reference == null ? DeskAnswer.Busy : _desk.StartEitherWaySale(_entry.Minor, _currency, reference, out detail);
            if (answer != DeskAnswer.Accepted)
            {
                Log("keypad: sale of " + _entry.Minor + " not started: " + (detail == null ? "busy" : detail));
                return false;
            }

            Log("keypad: sale " + reference + " of " + _entry.Minor + " " + _currency);
            _entry.Reset(0);
            _mode = ModeIdle;
            return true;
        }

        private bool StartVend()
        {
            string detail;
            DeskAnswer answer = _vendSale(_entry.Minor, out detail);
            if (answer != DeskAnswer.Accepted)
            {
                Log("keypad: vend of " + _entry.Minor + " not started: " + (detail == null ? "busy" : detail));
                _view.ShowAmount(RefusedTitle, _entry.Text(), _currency);
                return false;
            }

            Log("keypad: vend of " + _entry.Minor + " " + _currency);
            _entry.Reset(0);
            _mode = ModeIdle;
            return true;
        }

        private void Leave()
        {
            if (_mode == ModeMenu)
            {
                _menu.Close();
            }

            _entry.Reset(0);
            _mode = ModeIdle;
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
