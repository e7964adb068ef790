using Terminal.Core.Checksums;
using Terminal.Drivers.Display;
using Terminal.Drivers.Qr;
using Terminal.Firmware.Screens;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// Shows an order code the way the terminal does (the largest scale that fits, then the painter's QR screen)
    /// and checks the frame itself: every module's pixel block and the quiet zone must read back as the encoded
    /// symbol (dark modules unlit, light ones lit). Keeps what a step reports: version, size, scale, frame CRC.
    /// </summary>
    public sealed class QrScreen
    {
        private const int MaxVersion = 10;

        private readonly QrEncoder _encoder = new QrEncoder(MaxVersion);
        private readonly QrFit _fit;
        private readonly ScreenPainter _painter;
        private readonly byte[] _frame = new byte[Framebuffer.Width * Framebuffer.Pages];

        public QrScreen(ScreenPainter painter)
        {
            _painter = painter;
            _fit = new QrFit(_encoder);
        }

        public int Shown { get; private set; }

        public int Version { get; private set; }

        public int Size { get; private set; }

        public int Scale { get; private set; }

        /// <summary>The frame read back pixel by pixel matches the symbol.</summary>
        public bool FrameMatches { get; private set; }

        /// <summary>CRC-32 of the 1,024-byte framebuffer (SSD1306 page layout) right after drawing.</summary>
        public uint FrameCrc { get; private set; }

        public void Show(byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
            Shown++;
            FrameMatches = false;
            QrCode code = null;
            if (_fit.TryFit(codeValue, offset, count, QrLayout.AreaSize, QrLayout.AreaSize, QrLayout.QuietModules))
            {
                _encoder.TryEncode(codeValue, offset, count, _fit.ErrorCorrection, _fit.Version, _fit.Version, -1, false, out code);
            }

            if (code == null || !_painter.ShowQr(code, TerminalScreens.AmountText(amountMinor, currency), expiresInMs / 1000))
            {
                return;
            }

            Version = code.Version;
            Size = code.Size;
            Scale = QrLayout.ScaleFor(code.Size);
            FrameMatches = _painter.Current == ScreenKind.Qr && Matches(code, _painter.Framebuffer, Scale);
            _painter.Framebuffer.CopyTo(_frame, 0);
            FrameCrc = Crc32.Compute(_frame, 0, _frame.Length);
        }

        private static bool Matches(QrCode code, Framebuffer fb, int scale)
        {
            int quiet = QrLayout.QuietModules;
            int side = (code.Size + 2 * quiet) * scale;
            int top = (Framebuffer.Height - side) / 2;
            for (int my = -quiet; my < code.Size + quiet; my++)
            {
                for (int mx = -quiet; mx < code.Size + quiet; mx++)
                {
                    bool inside = mx >= 0 && my >= 0 && mx < code.Size && my < code.Size;
                    bool lit = !(inside && code.IsDark(mx, my));
                    int x0 = (mx + quiet) * scale;
                    int y0 = top + (my + quiet) * scale;
                    for (int dy = 0; dy < scale; dy++)
                    {
                        for (int dx = 0; dx < scale; dx++)
                        {
                            if (fb.GetPixel(x0 + dx, y0 + dy) != lit)
                            {
                                return false;
                            }
                        }
                    }
                }
            }

            return true;
        }
    }
}
