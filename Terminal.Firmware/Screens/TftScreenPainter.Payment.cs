using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>Colour screens on the way to a payment: idle, amount, QR, customer scan, processing.</summary>
    public sealed partial class TftScreenPainter
    {
        // The order code's screen. Portrait: instruction and amount above the code, countdown below. Square: amount
        // above, countdown below, a smaller code. Landscape: the code on the left, a text column on the right.
        private const int PortraitQrTop = 64;
        private const int PortraitCountdownHeight = 32;
        private const int SquareQrTop = 36;
        private const int SquareCountdownHeight = 28;
        private const int LandscapeQrTop = 16;

        // Characters a countdown cell can show: Countdown.Format writes digits and one colon.
        private const string CountdownGlyphs = "0123456789:";
        private const int CountdownCells = 5;

        // Spinner: 8 dots (16x16) clockwise from 12 o'clock on a 76x76 ring (the OLED spinner's circle, 5 times larger).
        private const int SpinnerSize = 76;
        private static readonly byte[] DotX = { 30, 50, 60, 50, 30, 10, 0, 10 };
        private static readonly byte[] DotY = { 0, 10, 30, 50, 60, 50, 30, 10 };

        private readonly char[] _countdownChars = new char[CountdownCells];
        private readonly int[] _countdownCellElements = new int[CountdownCells];
        private readonly int[] _dotElements = new int[8];
        private int _countdownCount;
        private int _dotCount;

        /// <summary>Shows the model's seconds in the countdown cells; only cells whose character changed are sent.</summary>
        public void RenderCountdown(ScreenModel m)
        {
            if (m.Kind != ScreenKind.Qr || _countdownCount == 0)
            {
                return;
            }

            int count = Countdown.Format(m.SecondsLeft, _countdownChars);
            for (int cell = 0; cell < CountdownCells; cell++)
            {
                int glyph = cell < count ? (_countdownChars[cell] == ':' ? 10 : _countdownChars[cell] - '0') : 0;
                _scene.SetText(_countdownCellElements[cell], CountdownGlyphs, glyph, cell < count ? 1 : 0);
            }
        }

        /// <summary>Colours the spinner dots for the model's step: the head dark, the one behind it grey, the rest faint.</summary>
        public void RenderSpinner(ScreenModel m)
        {
            if (_dotCount == 0)
            {
                return;
            }

            int head = m.SpinnerStep & 7;
            int tail = (head + 7) & 7;
            for (int dot = 0; dot < 8; dot++)
            {
                _scene.SetForeground(_dotElements[dot], dot == head ? TftPalette.Bar : dot == tail ? TftPalette.Muted : TftPalette.Faint);
            }
        }

        private void DrawIdle(ScreenModel m)
        {
            bool ready = m.NetworkUp && m.TimeValid;
            Title(m.Title, null, TftPalette.Bar);
            int y = TitleHeight + 16;
            Icon(ready ? _check : _cross, 0, y, _width, 56, ready ? TftPalette.Success : TftPalette.Failure, TftPalette.Paper);
            y += 56;
            TextBox(ready ? "READY" : "NOT READY", 0, y, _width, 40, 4, TextAlign.Center, ready ? TftPalette.Success : TftPalette.Failure, TftPalette.Paper);
            y += 48;
            LabelValue("Network", m.NetworkUp ? "OK" : "DOWN", m.NetworkUp, y);
            LabelValue("Clock", m.TimeValid ? "OK" : "NOT SET", m.TimeValid, y + LineHeight);
            y += 2 * LineHeight + 8;
            string note = !m.NetworkUp ? "No payments possible" : !m.TimeValid ? "Waiting for time" : null;
            if (note != null)
            {
                Paragraph(note, Margin, y, _width - 2 * Margin, LinesFrom(y), TextAlign.Center, TftPalette.Muted);
            }
        }

        private void DrawAmountEntry(ScreenModel m)
        {
            Title(m.Title, m.Currency, TftPalette.Bar);
            int y = TitleHeight + 24;
            Amount(m.AmountText, Margin, y, _width - 2 * Margin, 56, TextAlign.Right, 3);
            _scene.Fill(Margin, y + 60, _width - 2 * Margin, 2, TftPalette.Ink);
            Line("OK to confirm", 0, y + 76, _width, TextAlign.Center, TftPalette.Muted);
        }

        private void DrawAmountConfirm(ScreenModel m)
        {
            Title("Confirm amount", null, TftPalette.Bar);
            int y = TitleHeight + 16;
            Amount(m.AmountText, 0, y, _width, 56, TextAlign.Center, 3);
            Line(m.Currency, 0, y + 60, _width, TextAlign.Center, TftPalette.Ink);
            Line("OK to pay", 0, y + 100, _width, TextAlign.Center, TftPalette.Ink);
            Line("C to cancel", 0, y + 100 + LineHeight, _width, TextAlign.Center, TftPalette.Muted);
        }

        private void DrawQr(ScreenModel m)
        {
            IModuleMatrix code = m.Code;
            int size = code == null ? 0 : code.Size;
            int scale = QrAreaSize / (size + 2 * QuietModules);
            if (size == 0 || scale < 1)
            {
                // Never a garbled code: the screen layer fits the code to this area before showing it.
                DrawQrUnavailable(m.AmountText, null);
                return;
            }

            int side = (size + 2 * QuietModules) * scale;
            int countdownY;
            int countdownX;
            int countdownWidth;
            if (Landscape)
            {
                int area = QrAreaSize;
                _scene.Modules((area - side) / 2, LandscapeQrTop + (area - side) / 2, code, scale, QuietModules, TftPalette.Ink, TftPalette.Paper);
                int x = area + Margin;
                int width = _width - x - Margin / 2;
                Paragraph("Scan to pay", x, LandscapeQrTop, width, 2, TextAlign.Left, TftPalette.Ink);
                Amount(m.AmountText, x, LandscapeQrTop + 2 * LineHeight + 8, width, 40, TextAlign.Left, 2);

                // The column is narrow: the label wraps rather than being clipped.
                int y = _height - LandscapeQrTop - 3 * LineHeight;
                Paragraph("Valid for", x, y, width, 2, TextAlign.Left, TftPalette.Muted);
                countdownX = x;
                countdownY = y + 2 * LineHeight;
                countdownWidth = width;
            }
            else
            {
                bool square = _width == _height;
                int top = square ? SquareQrTop : PortraitQrTop;
                if (square)
                {
                    Amount(m.AmountText, 0, 0, _width, top, TextAlign.Center, 2);
                }
                else
                {
                    Line("Scan to pay", 0, 4, _width, TextAlign.Center, TftPalette.Ink);
                    Amount(m.AmountText, 0, 4 + LineHeight, _width, top - 4 - LineHeight, TextAlign.Center, 2);
                }

                int area = QrAreaSize;
                _scene.Modules((_width - side) / 2, top + (area - side) / 2, code, scale, QuietModules, TftPalette.Ink, TftPalette.Paper);
                countdownY = top + area + (square ? 4 : 8);
                string label = "Valid for";
                int labelWidth = (_small.Measure(label) + 2 * _small.Spacing + _small.CellWidth) * TextScale;
                int total = labelWidth + CountdownCells * CellAdvance;
                int x = (_width - total) / 2;
                _scene.Text(x, countdownY, labelWidth, LineHeight, _small, TextScale, TextAlign.Left, label, 0, label.Length, TftPalette.Muted, TftPalette.Paper);
                countdownX = x + labelWidth;
                countdownWidth = CountdownCells * CellAdvance;
            }

            // One element per character cell: a tick repaints the cells whose character changed, usually one.
            for (int cell = 0; cell < CountdownCells && (cell + 1) * CellAdvance <= countdownWidth; cell++)
            {
                _countdownCellElements[cell] = _scene.Text(countdownX + cell * CellAdvance, countdownY, CellAdvance, LineHeight, _small, TextScale,
                    TextAlign.Left, CountdownGlyphs, 0, 0, TftPalette.Ink, TftPalette.Paper);
                _countdownCount = cell + 1;
            }

            RenderCountdown(m);
        }

        private int CellAdvance
        {
            get { return (_small.CellWidth + _small.Spacing) * TextScale; }
        }

        private void DrawQrUnavailable(string amountText, string reason)
        {
            Title("QR not available", null, TftPalette.Bar);
            int y = TitleHeight + 12;
            Amount(amountText, 0, y, _width, 52, TextAlign.Center, 3);
            y += 64;
            Paragraph(string.IsNullOrEmpty(reason) ? ScreenTexts.QrUnavailableFallback : reason, Margin, y, _width - 2 * Margin, LinesFrom(y), TextAlign.Center, TftPalette.Ink);
        }

        private void DrawScanCustomer(ScreenModel m)
        {
            Title("Customer code", null, TftPalette.Bar);
            int y = TitleHeight + 12;
            Amount(m.AmountText, 0, y, _width, 52, TextAlign.Center, 3);
            y += 64;
            Paragraph("Scan the customer's payment code", Margin, y, _width - 2 * Margin, LinesFrom(y), TextAlign.Center, TftPalette.Ink);
        }

        private void DrawProcessing(ScreenModel m)
        {
            Title("Please wait", null, TftPalette.Bar);
            int y = Spinner(m, TitleHeight + 20);
            Paragraph(m.Text, Margin, y, _width - 2 * Margin, Min(4, LinesFrom(y)), TextAlign.Center, TftPalette.Ink);
        }

        /// <summary>The spinner's dots centred at <paramref name="top"/>; returns the first row below it, with a gap.</summary>
        private int Spinner(ScreenModel m, int top)
        {
            int left = (_width - SpinnerSize) / 2;
            for (int dot = 0; dot < 8; dot++)
            {
                _dotElements[dot] = _scene.Bitmap(left + DotX[dot], top + DotY[dot], 2 * TftIcons.DotSize, 2 * TftIcons.DotSize, _dot, 2, TftPalette.Faint, TftPalette.Paper);
            }

            _dotCount = 8;
            RenderSpinner(m);
            return top + SpinnerSize + 16;
        }

        private void Icon(Terminal.Drivers.Display.Tft.BitPlane plane, int x, int y, int width, int height, int foreground, int background)
        {
            _scene.Bitmap(x, y, width, height, plane, 3, foreground, background);
        }

        private void LabelValue(string label, string value, bool good, int y)
        {
            int half = _width / 2;
            Line(label, Margin, y, half - Margin, TextAlign.Left, TftPalette.Ink);
            Line(value, half, y, half - Margin, TextAlign.Right, good ? TftPalette.Success : TftPalette.Failure);
        }

        private static int Min(int a, int b)
        {
            return a < b ? a : b;
        }
    }
}
