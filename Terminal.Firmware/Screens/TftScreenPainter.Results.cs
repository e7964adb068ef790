using Terminal.Drivers.Display;
using Terminal.Drivers.Display.Tft;

namespace Terminal.Firmware.Screens
{
    /// <summary>Colour final screens (results, errors) and the diagnostics pages.</summary>
    public sealed partial class TftScreenPainter
    {
        private const int IconBandHeight = 56;
        private const int HeadlineHeight = 40;

        private void DrawRefundProgress(ScreenModel m)
        {
            Title("Refund", null, TftPalette.Bar);
            int y = Spinner(m, TitleHeight + 16);
            Amount(m.AmountText, 0, y, _width, 40, TextAlign.Center, 2);
            Line("Refund in progress", 0, y + 44, _width, TextAlign.Center, TftPalette.Ink);
        }

        /// <summary>
        /// A result: a band in the result's colour holding its icon and its word (PAID on green with a tick, DECLINED
        /// on red with a cross, CANCELLED on grey with a bar, UNKNOWN on amber with an exclamation mark), then the
        /// amount and the reason.
        /// </summary>
        private void DrawOutcome(ScreenModel m)
        {
            int band;
            int ink = TftPalette.Paper;
            BitPlane icon;
            switch (m.Result)
            {
                case ResultKind.Success:
                    band = TftPalette.Success;
                    icon = _check;
                    break;
                case ResultKind.Declined:
                    band = TftPalette.Failure;
                    icon = _cross;
                    break;
                case ResultKind.Cancelled:
                    band = TftPalette.Cancelled;
                    icon = _dash;
                    break;
                default:
                    band = TftPalette.Review;
                    ink = TftPalette.Ink;
                    icon = _exclamation;
                    break;
            }

            Title(ScreenTexts.ResultTitle(m.Kind), m.AcknowledgeHint, TftPalette.Bar);
            int y = TitleHeight;
            Icon(icon, 0, y, _width, IconBandHeight, ink, band);
            TextBox(ScreenTexts.Headline(m.Kind, m.Result), 0, y + IconBandHeight, _width, HeadlineHeight, 4, TextAlign.Center, ink, band);
            y += IconBandHeight + HeadlineHeight + 6;
            if (!string.IsNullOrEmpty(m.AmountText))
            {
                int amountHeight = _height >= 320 ? 52 : 36;
                Amount(m.AmountText, 0, y, _width, amountHeight, TextAlign.Center, 3);
                y += amountHeight + 4;
            }

            string text = string.IsNullOrEmpty(m.Text) ? ScreenTexts.FallbackReason(m.Kind, m.Result) : m.Text;
            Paragraph(text, Margin, y, _width - 2 * Margin, LinesFrom(y), TextAlign.Center, TftPalette.Ink);
        }

        private void DrawError(ScreenModel m)
        {
            Title("Error", m.AcknowledgeHint, TftPalette.Failure);
            int y = TitleHeight + 8;
            int reasonLines = Paragraph(string.IsNullOrEmpty(m.Text) ? ScreenTexts.ErrorFallbackReason : m.Text, Margin, y, _width - 2 * Margin, 4, TextAlign.Left, TftPalette.Ink);
            y += reasonLines * LineHeight + 6;
            _scene.Fill(0, y, _width, 2, TftPalette.Failure);
            y += 8;
            Paragraph(string.IsNullOrEmpty(m.Action) ? ScreenTexts.ErrorFallbackAction : m.Action, Margin, y, _width - 2 * Margin, LinesFrom(y), TextAlign.Left, TftPalette.Ink);
        }

        /// <summary>The lines wrapped to the panel, a page at a time, "n/m" in the title; wraps around at either end.</summary>
        private void DrawDiagnostics(ScreenModel m)
        {
            string[] lines = m.Lines;
            int rowsPerPage = LinesFrom(TitleHeight + 4);
            int wrapWidth = (_width - 2 * Margin) / TextScale;
            int rows = 0;
            for (int i = 0; lines != null && i < lines.Length; i++)
            {
                int count = TextWrap.CountLines(_small, lines[i], wrapWidth);
                rows += count == 0 ? 1 : count;
            }

            int pages = rows == 0 ? 1 : (rows + rowsPerPage - 1) / rowsPerPage;
            int page = m.Page % pages;
            if (page < 0)
            {
                page += pages;
            }

            Title(m.Title, pages > 1 ? PageText(page, pages) : null, TftPalette.Bar);
            int first = page * rowsPerPage;
            int row = 0;
            for (int i = 0; lines != null && i < lines.Length && row < first + rowsPerPage; i++)
            {
                int position = 0;
                int start;
                int length;
                bool any = false;
                while (row < first + rowsPerPage && (position = TextWrap.NextLine(_small, lines[i], position, wrapWidth, out start, out length)) >= 0)
                {
                    any = true;
                    if (row >= first && length > 0)
                    {
                        _scene.Text(Margin, TitleHeight + 4 + (row - first) * LineHeight, _width - 2 * Margin, LineHeight, _small, TextScale, TextAlign.Left,
                            lines[i], start, length, TftPalette.Ink, TftPalette.Paper);
                    }

                    row++;
                }

                if (!any)
                {
                    row++; // an empty line keeps its place
                }
            }
        }

        // "n/m" for the title; pages are few (two digits at most on any panel), so this small string is fine at the edge.
        private static string PageText(int page, int pages)
        {
            return (page + 1) + "/" + pages;
        }
    }
}
