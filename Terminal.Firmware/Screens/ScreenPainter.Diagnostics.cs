using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>Self-test and diagnostics: lines of text, wrapped to the screen, shown a page at a time.</summary>
    public sealed partial class ScreenPainter
    {
        private const int DiagnosticsTop = 10;
        private const int DiagnosticsRowsPerPage = 6;

        private string[] _diagnosticsLines;

        // Wrapped rows: which line, and which characters of it.
        private int[] _rowLine;
        private int[] _rowStart;
        private int[] _rowLength;
        private int _rowCount;

        public int DiagnosticsPage { get; private set; }

        public int DiagnosticsPageCount
        {
            get { return _rowCount == 0 ? 1 : (_rowCount + DiagnosticsRowsPerPage - 1) / DiagnosticsRowsPerPage; }
        }

        /// <summary>Shows the first page of <paramref name="lines"/> (each wrapped to 21 characters).</summary>
        public bool ShowDiagnostics(string title, string[] lines)
        {
            return Drawn(_model.ShowDiagnostics(title, lines));
        }

        /// <summary>Shows page <paramref name="page"/> (wrapping around at either end).</summary>
        public bool ShowDiagnosticsPage(int page)
        {
            return Drawn(_model.ShowDiagnosticsPage(page));
        }

        /// <summary>Next page of the diagnostics screen; false on any other screen.</summary>
        public bool NextDiagnosticsPage()
        {
            return Current == ScreenKind.Diagnostics && ShowDiagnosticsPage(DiagnosticsPage + 1);
        }

        private void DrawDiagnostics(ScreenModel m)
        {
            if (m.Lines != _diagnosticsLines || _rowLine == null)
            {
                _diagnosticsLines = m.Lines;
                WrapDiagnostics();
            }

            int pages = DiagnosticsPageCount;
            int page = m.Page % pages;
            if (page < 0)
            {
                page += pages;
            }

            DiagnosticsPage = page;
            DrawTitle(m.Title, pages > 1 ? (page + 1) + "/" + pages : null);
            int first = page * DiagnosticsRowsPerPage;
            for (int i = 0; i < DiagnosticsRowsPerPage && first + i < _rowCount; i++)
            {
                int row = first + i;
                TextPainter.DrawAligned(_fb, _small, _diagnosticsLines[_rowLine[row]], _rowStart[row], _rowLength[row],
                    Margin, DiagnosticsTop + i * LinePitch, Width - 2 * Margin, TextAlign.Left, 1, false);
            }
        }

        private void WrapDiagnostics()
        {
            int width = Width - 2 * Margin;
            int count = 0;
            int lineCount = _diagnosticsLines == null ? 0 : _diagnosticsLines.Length;
            for (int i = 0; i < lineCount; i++)
            {
                count += RowsOf(_diagnosticsLines[i], width);
            }

            _rowLine = new int[count];
            _rowStart = new int[count];
            _rowLength = new int[count];
            _rowCount = 0;
            for (int i = 0; i < lineCount; i++)
            {
                string line = _diagnosticsLines[i];
                int position = 0;
                int start;
                int length;
                bool any = false;
                while ((position = TextWrap.NextLine(_small, line, position, width, out start, out length)) >= 0)
                {
                    Add(i, start, length);
                    any = true;
                }

                if (!any)
                {
                    Add(i, 0, 0); // an empty line keeps its place
                }
            }
        }

        private int RowsOf(string line, int width)
        {
            int rows = TextWrap.CountLines(_small, line, width);
            return rows == 0 ? 1 : rows;
        }

        private void Add(int line, int start, int length)
        {
            _rowLine[_rowCount] = line;
            _rowStart[_rowCount] = start;
            _rowLength[_rowCount] = length;
            _rowCount++;
        }
    }
}
