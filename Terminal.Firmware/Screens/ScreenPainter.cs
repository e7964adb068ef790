using System;
using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Fonts;

namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// The OLED rendering of a <see cref="ScreenModel"/>: draws its screens into a 128x64 <see cref="Framebuffer"/>;
    /// the caller sends the framebuffer with an <see cref="IDisplayDriver"/>. <see cref="Render"/> draws a model's
    /// screen afresh, <see cref="RenderCountdown"/> and <see cref="RenderSpinner"/> repaint only their small box and
    /// allocate nothing; null or odd strings are drawn as far as they fit ('?' for characters outside ASCII).
    /// <para>
    /// The Show methods change this painter's own model (<see cref="Model"/>) and draw it, for callers with one
    /// OLED and nothing else (the boot screen, tests): the model's rules apply, so while a final screen waits for
    /// <see cref="Acknowledge"/> every other Show method returns false and draws nothing, except a newer payment or
    /// refund result, which replaces it.
    /// </para>
    /// </summary>
    public sealed partial class ScreenPainter
    {
        private const int Width = Framebuffer.Width;
        private const int Height = Framebuffer.Height;

        /// <summary>Title bar rows 0..8, lit, with inverse text.</summary>
        private const int TitleHeight = 9;

        /// <summary>Pitch of small-text lines.</summary>
        private const int LinePitch = 9;

        private const int Margin = 2;

        // The spinner box sits on pages 2-3 exactly, so a step touches two pages only.
        private const int SpinnerX = (Width - Spinner.Size) / 2;
        private const int SpinnerY = 16;

        private const string Ellipsis = "...";

        private readonly Framebuffer _fb;
        private readonly Font _small;
        private readonly Font _amount;

        // Countdown box on the QR screen; _countdownChars holds "m:ss" without allocation.
        private readonly char[] _countdownChars = new char[5];
        private int _countdownX;
        private int _countdownY;
        private int _countdownWidth;

        private readonly ScreenModel _model;

        public ScreenPainter(Framebuffer framebuffer)
            : this(framebuffer, new ScreenModel())
        {
        }

        /// <param name="model">The model the Show methods change (the rendering of another model goes through <see cref="Render"/>).</param>
        public ScreenPainter(Framebuffer framebuffer, ScreenModel model)
        {
            if (framebuffer == null)
            {
                throw new ArgumentNullException("framebuffer");
            }

            if (model == null)
            {
                throw new ArgumentNullException("model");
            }

            _fb = framebuffer;
            _model = model;
            _small = SmallFont.Create();
            _amount = AmountFont.Create();
        }

        public Framebuffer Framebuffer
        {
            get { return _fb; }
        }

        /// <summary>The model the Show methods change.</summary>
        public ScreenModel Model
        {
            get { return _model; }
        }

        public ScreenKind Current
        {
            get { return _model.Kind; }
        }

        /// <summary>True while a result or error screen waits for the cashier.</summary>
        public bool RequiresAcknowledge
        {
            get { return _model.RequiresAcknowledge; }
        }

        /// <summary>Shown at the right of the title bar on screens that wait for acknowledgement.</summary>
        public string AcknowledgeHint
        {
            get { return _model.AcknowledgeHint; }
            set { _model.AcknowledgeHint = value; }
        }

        /// <summary>
        /// The cashier saw the final screen. It stays visible until the next Show call; returns false when
        /// nothing was waiting.
        /// </summary>
        public bool Acknowledge()
        {
            return _model.Acknowledge();
        }

        /// <summary>Clears the screen (e.g. before sleep); refused while a final screen is pending.</summary>
        public bool ShowBlank()
        {
            return Drawn(_model.ShowBlank());
        }

        /// <summary>Draws <paramref name="model"/>'s screen afresh.</summary>
        public void Render(ScreenModel model)
        {
            _fb.ResetClip();
            _fb.Clear();
            switch (model.Kind)
            {
                case ScreenKind.Idle:
                    DrawIdle(model);
                    break;
                case ScreenKind.AmountEntry:
                    DrawAmountEntry(model);
                    break;
                case ScreenKind.AmountConfirm:
                    DrawAmountConfirm(model);
                    break;
                case ScreenKind.Qr:
                    DrawQr(model);
                    break;
                case ScreenKind.QrUnavailable:
                    DrawQrUnavailable(model.AmountText, model.Text);
                    break;
                case ScreenKind.ScanCustomer:
                    DrawScanCustomer(model);
                    break;
                case ScreenKind.Processing:
                    DrawProcessing(model);
                    break;
                case ScreenKind.RefundProgress:
                    DrawRefundProgress(model);
                    break;
                case ScreenKind.Result:
                case ScreenKind.RefundResult:
                    DrawOutcome(model);
                    break;
                case ScreenKind.Error:
                    DrawError(model);
                    break;
                case ScreenKind.Diagnostics:
                    DrawDiagnostics(model);
                    break;
            }
        }

        // ---- Shared drawing ----

        // Draws this painter's model after a Show method changed it.
        private bool Drawn(bool shown)
        {
            if (shown)
            {
                Render(_model);
            }

            return shown;
        }

        private void DrawTitle(string left, string right)
        {
            _fb.FillRect(0, 0, Width, TitleHeight, true);
            int rightWidth = right == null ? 0 : _small.Measure(right);
            int rightX = Width - Margin - rightWidth;
            int leftWidth = right == null ? Width - 2 * Margin : rightX - 2 * Margin - Margin;
            TextPainter.DrawAligned(_fb, _small, left, Margin, 1, leftWidth, TextAlign.Left, 1, true);
            if (right != null)
            {
                TextPainter.DrawAligned(_fb, _small, right, rightX, 1, rightWidth, TextAlign.Left, 1, true);
            }
        }

        /// <summary>
        /// An amount, as large as it fits the box: the bold figures font, else the text font doubled,
        /// else the text font (clipped). All three variants occupy rows y..y+15.
        /// </summary>
        private void DrawAmount(string amount, int x, int y, int width, TextAlign align)
        {
            if (string.IsNullOrEmpty(amount))
            {
                return;
            }

            if (_amount.CanRender(amount) && _amount.Measure(amount) <= width)
            {
                TextPainter.DrawAligned(_fb, _amount, amount, x, y, width, align, 1, false);
            }
            else if (_small.Measure(amount) * 2 <= width)
            {
                TextPainter.DrawAligned(_fb, _small, amount, x, y, width, align, 2, false);
            }
            else
            {
                TextPainter.DrawAligned(_fb, _small, amount, x, y + 4, width, align, 1, false);
            }
        }

        /// <summary>
        /// Word-wrapped small text in the box; at most <paramref name="maxLines"/> lines, the last one ending
        /// in "..." when text is left over. Returns the lines drawn.
        /// </summary>
        private int DrawWrapped(string text, int x, int y, int width, int maxLines, TextAlign align)
        {
            int position = 0;
            int lines = 0;
            int lineStart;
            int lineLength;
            while (lines < maxLines && (position = TextWrap.NextLine(_small, text, position, width, out lineStart, out lineLength)) >= 0)
            {
                int lineY = y + lines * LinePitch;
                lines++;
                bool more = lines == maxLines && HasMoreText(text, position, width);
                if (!more)
                {
                    DrawLine(text, lineStart, lineLength, x, lineY, width, align);
                    continue;
                }

                // Shorten the last line until the ellipsis fits after it.
                int ellipsisWidth = _small.Measure(Ellipsis);
                while (lineLength > 0 && _small.Measure(text, lineStart, lineLength) + _small.Spacing + ellipsisWidth > width)
                {
                    lineLength--;
                }

                int lineWidth = lineLength == 0 ? ellipsisWidth : _small.Measure(text, lineStart, lineLength) + _small.Spacing + ellipsisWidth;
                int left = Aligned(x, width, lineWidth, align);
                int after = TextPainter.Draw(_fb, _small, text, lineStart, lineLength, left, lineY, 1, false);
                TextPainter.DrawAligned(_fb, _small, Ellipsis, lineLength == 0 ? left : after + _small.Spacing, lineY, ellipsisWidth, TextAlign.Left, 1, false);
            }

            return lines;
        }

        private bool HasMoreText(string text, int position, int width)
        {
            int lineStart;
            int lineLength;
            return TextWrap.NextLine(_small, text, position, width, out lineStart, out lineLength) >= 0;
        }

        private void DrawLine(string text, int start, int length, int x, int y, int width, TextAlign align)
        {
            TextPainter.DrawAligned(_fb, _small, text, start, length, x, y, width, align, 1, false);
        }

        /// <summary>"label" at the left margin and "value" right-aligned on the same line.</summary>
        private void DrawLabelValue(string label, string value, int y)
        {
            TextPainter.Draw(_fb, _small, label, Margin, y);
            TextPainter.DrawAligned(_fb, _small, value, Margin, y, Width - 2 * Margin, TextAlign.Right, 1, false);
        }

        private void DrawCentered(string text, int y, int scale)
        {
            TextPainter.DrawAligned(_fb, _small, text, 0, y, Width, TextAlign.Center, scale, false);
        }

        private static int Aligned(int x, int width, int textWidth, TextAlign align)
        {
            if (textWidth >= width || align == TextAlign.Left)
            {
                return x;
            }

            return align == TextAlign.Right ? x + width - textWidth : x + (width - textWidth) / 2;
        }
    }
}
