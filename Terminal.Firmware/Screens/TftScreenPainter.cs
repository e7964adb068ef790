using System;
using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Fonts;
using Terminal.Drivers.Display.Tft;

namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// The colour TFT rendering of a <see cref="ScreenModel"/>: lays each screen out for the panel (240x240,
    /// 240x320 or 320x240) as a <see cref="TftScene"/> of non-overlapping elements: the order code at 4 or more
    /// pixels per module with a 4-module quiet zone, amounts in large figures, results on a coloured band with
    /// their word and an icon of their own shape (colour never says anything alone), text in the small font
    /// doubled (20 characters a line on 240 pixels). <see cref="RenderCountdown"/> changes only the countdown
    /// digits that differ, <see cref="RenderSpinner"/> only the spinner dots that change colour. Nothing allocates.
    /// </summary>
    public sealed partial class TftScreenPainter
    {
        /// <summary>ISO/IEC 18004's quiet zone: the panel has room for it.</summary>
        public const int QuietModules = 4;

        private const int Margin = 8;
        private const int TitleHeight = 32;
        private const int TextScale = 2;

        /// <summary>A line of text: 16-pixel glyphs and 4 pixels between lines.</summary>
        private const int LineHeight = 20;

        private const string Ellipsis = "...";

        private readonly TftScene _scene;
        private readonly int _width;
        private readonly int _height;
        private readonly Font _small;
        private readonly Font _amount;
        private readonly BitPlane _check;
        private readonly BitPlane _cross;
        private readonly BitPlane _dash;
        private readonly BitPlane _exclamation;
        private readonly BitPlane _dot;

        public TftScreenPainter(TftScene scene)
        {
            if (scene == null)
            {
                throw new ArgumentNullException("scene");
            }

            _scene = scene;
            _width = scene.Width;
            _height = scene.Height;
            if (_width < 240 || _height < 240)
            {
                throw new ArgumentOutOfRangeException("scene", "the colour screens need at least 240x240 pixels, not " + _width + "x" + _height);
            }

            _small = SmallFont.Create();
            _amount = AmountFont.Create();
            _check = TftIcons.Plane(TftIcons.CheckBits, TftIcons.IconSize);
            _cross = TftIcons.Plane(TftIcons.CrossBits, TftIcons.IconSize);
            _dash = TftIcons.Plane(TftIcons.DashBits, TftIcons.IconSize);
            _exclamation = TftIcons.Plane(TftIcons.ExclamationBits, TftIcons.IconSize);
            _dot = TftIcons.Plane(TftIcons.DotBits, TftIcons.DotSize);
            QrAreaSize = Landscape ? _height - 2 * LandscapeQrTop : _width == _height ? _height - SquareQrTop - SquareCountdownHeight : Min(_width, _height - PortraitQrTop - PortraitCountdownHeight);
        }

        /// <summary>Side of the square the order code and its quiet zone may use on this panel.</summary>
        public int QrAreaSize { get; private set; }

        private bool Landscape
        {
            get { return _width > _height; }
        }

        /// <summary>Draws the model's screen as a new scene; elements that stay the same are not sent again.</summary>
        public void Render(ScreenModel m)
        {
            _countdownCount = 0;
            _dotCount = 0;
            _scene.Begin(m.Kind == ScreenKind.Blank ? TftPalette.Blank : TftPalette.Paper);
            switch (m.Kind)
            {
                case ScreenKind.Idle:
                    DrawIdle(m);
                    break;
                case ScreenKind.AmountEntry:
                    DrawAmountEntry(m);
                    break;
                case ScreenKind.AmountConfirm:
                    DrawAmountConfirm(m);
                    break;
                case ScreenKind.Qr:
                    DrawQr(m);
                    break;
                case ScreenKind.QrUnavailable:
                    DrawQrUnavailable(m.AmountText, m.Text);
                    break;
                case ScreenKind.ScanCustomer:
                    DrawScanCustomer(m);
                    break;
                case ScreenKind.Processing:
                    DrawProcessing(m);
                    break;
                case ScreenKind.RefundProgress:
                    DrawRefundProgress(m);
                    break;
                case ScreenKind.Result:
                case ScreenKind.RefundResult:
                    DrawOutcome(m);
                    break;
                case ScreenKind.Error:
                    DrawError(m);
                    break;
                case ScreenKind.Diagnostics:
                    DrawDiagnostics(m);
                    break;
            }

            _scene.End();
        }

        // ---- building blocks ----

        /// <summary>The title bar: <paramref name="left"/> from the margin, <paramref name="right"/> (a hint, a page) at the right.</summary>
        private void Title(string left, string right, int bar)
        {
            _scene.Fill(0, 0, Margin, TitleHeight, bar);
            int rightWidth = string.IsNullOrEmpty(right) ? 0 : _small.Measure(right) * TextScale;
            int leftEnd = _width - Margin - (rightWidth == 0 ? 0 : rightWidth + Margin);
            TextBox(left, Margin, 0, leftEnd - Margin, TitleHeight, TextScale, TextAlign.Left, TftPalette.Paper, bar);
            if (rightWidth > 0)
            {
                _scene.Text(leftEnd, 0, _width - Margin - leftEnd, TitleHeight, _small, TextScale, TextAlign.Right, right, 0, right.Length, TftPalette.Paper, bar);
            }

            _scene.Fill(_width - Margin, 0, Margin, TitleHeight, bar);
        }

        /// <summary>A text element; a null or empty text gives a box of the background colour.</summary>
        private void TextBox(string text, int x, int y, int width, int height, int scale, TextAlign align, int foreground, int background)
        {
            if (string.IsNullOrEmpty(text))
            {
                _scene.Fill(x, y, width, height, background);
                return;
            }

            _scene.Text(x, y, width, height, _small, scale, align, text, 0, text.Length, foreground, background);
        }

        /// <summary>One line of the small font doubled, across the box.</summary>
        private void Line(string text, int x, int y, int width, TextAlign align, int foreground)
        {
            if (!string.IsNullOrEmpty(text))
            {
                _scene.Text(x, y, width, LineHeight, _small, TextScale, align, text, 0, text.Length, foreground, TftPalette.Paper);
            }
        }

        /// <summary>
        /// An amount as large as it fits the box, at most <paramref name="maxScale"/> times the bold figures (16
        /// rows each), else the text font at twice that, else the text font doubled and clipped.
        /// </summary>
        private void Amount(string amount, int x, int y, int width, int height, TextAlign align, int maxScale)
        {
            if (string.IsNullOrEmpty(amount))
            {
                return;
            }

            Font font = _small;
            int scale = TextScale;
            if (_amount.CanRender(amount))
            {
                for (int s = maxScale; s >= 1; s--)
                {
                    if (_amount.Measure(amount) * s <= width && _amount.Height * s <= height)
                    {
                        font = _amount;
                        scale = s;
                        break;
                    }
                }
            }

            if (font == _small)
            {
                for (int s = 2 * maxScale; s > TextScale; s--)
                {
                    if (_small.Measure(amount) * s <= width && _small.Height * s <= height)
                    {
                        scale = s;
                        break;
                    }
                }
            }

            _scene.Text(x, y, width, height, font, scale, align, amount, 0, amount.Length, TftPalette.Ink, TftPalette.Paper);
        }

        /// <summary>
        /// Word-wrapped text from <paramref name="y"/>, at most <paramref name="maxLines"/> lines, the last one ending in
        /// "..." when text is left over. Returns the lines drawn.
        /// </summary>
        private int Paragraph(string text, int x, int y, int width, int maxLines, TextAlign align, int foreground)
        {
            int wrapWidth = width / TextScale;
            int position = 0;
            int lines = 0;
            int lineStart;
            int lineLength;
            while (lines < maxLines && (position = TextWrap.NextLine(_small, text, position, wrapWidth, out lineStart, out lineLength)) >= 0)
            {
                int lineY = y + lines * LineHeight;
                lines++;
                if (lines == maxLines && HasMoreText(text, position, wrapWidth))
                {
                    EllipsisLine(text, lineStart, lineLength, x, lineY, width, align, foreground);
                }
                else if (lineLength > 0)
                {
                    _scene.Text(x, lineY, width, LineHeight, _small, TextScale, align, text, lineStart, lineLength, foreground, TftPalette.Paper);
                }
            }

            return lines;
        }

        private void EllipsisLine(string text, int start, int length, int x, int y, int width, TextAlign align, int foreground)
        {
            int ellipsis = _small.Measure(Ellipsis);
            int spacing = _small.Spacing;
            while (length > 0 && (_small.Measure(text, start, length) + spacing + ellipsis) * TextScale > width)
            {
                length--;
            }

            int textWidth = length == 0 ? 0 : (_small.Measure(text, start, length) + spacing) * TextScale;
            int total = textWidth + ellipsis * TextScale;
            int left = x;
            if (total < width && align != TextAlign.Left)
            {
                left += align == TextAlign.Right ? width - total : (width - total) / 2;
            }

            if (length > 0)
            {
                _scene.Text(left, y, textWidth, LineHeight, _small, TextScale, TextAlign.Left, text, start, length, foreground, TftPalette.Paper);
            }

            _scene.Text(left + textWidth, y, ellipsis * TextScale, LineHeight, _small, TextScale, TextAlign.Left, Ellipsis, 0, Ellipsis.Length, foreground, TftPalette.Paper);
        }

        private bool HasMoreText(string text, int position, int wrapWidth)
        {
            int lineStart;
            int lineLength;
            return TextWrap.NextLine(_small, text, position, wrapWidth, out lineStart, out lineLength) >= 0;
        }

        /// <summary>Lines that fit from <paramref name="y"/> to the bottom margin.</summary>
        private int LinesFrom(int y)
        {
            return (_height - Margin / 2 - y) / LineHeight;
        }
    }
}
