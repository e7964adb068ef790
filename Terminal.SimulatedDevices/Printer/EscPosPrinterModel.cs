using Terminal.SimulatedDevices.Wire;

namespace Terminal.SimulatedDevices.Printer;

/// <summary>
/// A 58 mm thermal receipt printer of the CSN-A2 class on a UART, written from the Epson ESC/POS command reference
/// independently of the driver: 384 dots per line, font A in 12 x 24 cells (32 columns). It takes text and
/// LF, ESC @ (initialise: a new document), ESC a n (justification, at the start of a line), ESC E n (emphasis),
/// ESC d n (print and feed), GS ! n (character size), and answers the real-time status command DLE EOT n
/// (n = 1..4) at once, whatever it is doing, with the fixed bits 0x12 and the state's bits (out of paper,
/// paper low, cover open, offline). A line longer than the paper wraps, as on the real printer, and is counted.
/// <para>
/// It is strict: an unknown command, a parameter out of range or a control byte outside the list is a protocol
/// error (counted, <see cref="ProtocolErrorSeen"/>), so a driver bug shows. Faults to inject: no power (bytes are
/// lost, nothing answers), out of paper, cover open, offline (lines sent then are lost), garbled answers.
/// Driven by <see cref="Pump"/> (tests) or its own thread (<see cref="StartThread"/>, the simulator); thread-safe.
/// </para>
/// </summary>
public sealed class EscPosPrinterModel : IDisposable
{
    public const int DotsPerLine = 384;
    public const int CellWidth = 12;
    public const int CellHeight = 24;
    public const int Columns = DotsPerLine / CellWidth;

    /// <summary>Dots between two printed lines (the line spacing beyond the cell).</summary>
    public const int LineGap = 6;

    private readonly ReadBytes _read;
    private readonly WriteBytes _write;
    private readonly object _gate = new();
    private readonly byte[] _chunk = new byte[256];
    private readonly List<PrintedChar> _line = new();
    private readonly List<PrintedDocument> _documents = new();
    private PrintedDocument? _current;
    private int _lineAlign;
    private int _align;
    private bool _bold;
    private int _width = 1;
    private int _height = 1;
    private byte _command;
    private int _stage;
    private Thread? _thread;
    private volatile bool _stop;

    /// <param name="read">The printer's end of the line: what the terminal sent.</param>
    /// <param name="write">The printer's end of the line: towards the terminal (status answers).</param>
    public EscPosPrinterModel(ReadBytes read, WriteBytes write)
    {
        _read = read;
        _write = write;
    }

    /// <summary>False: the printer is unplugged or switched off (bytes are lost, nothing answers).</summary>
    public bool Powered { get; set; } = true;

    public bool PaperOut { get; set; }

    /// <summary>The roll is nearly used up (still prints).</summary>
    public bool PaperLow { get; set; }

    public bool CoverOpen { get; set; }

    /// <summary>Offline for another reason (an error).</summary>
    public bool Offline { get; set; }

    /// <summary>Answers status queries with bytes that are not status bytes (a wrong baud rate looks like this).</summary>
    public bool GarbledAnswers { get; set; }

    /// <summary>Every document printed, oldest first (the one being printed included).</summary>
    public IReadOnlyList<PrintedDocument> Documents
    {
        get
        {
            lock (_gate)
            {
                return _documents.ToArray();
            }
        }
    }

    /// <summary>Told of each document when the next one starts or the line falls idle (<see cref="FinishIdle"/>).</summary>
    public Action<PrintedDocument>? DocumentFinished { get; set; }

    public int StatusQueries { get; private set; }

    /// <summary>Lines sent while the printer could not print (out of paper, cover open, offline): lost.</summary>
    public int LostLines { get; private set; }

    /// <summary>Lines longer than the paper (wrapped).</summary>
    public int WrappedLines { get; private set; }

    public long BytesReceived { get; private set; }

    public int ProtocolErrors { get; private set; }

    public string? LastProtocolError { get; private set; }

    /// <summary>Told of each malformed command as it arrives (the simulator logs it: a driver bug).</summary>
    public Action<string>? ProtocolErrorSeen { get; set; }

    private bool CanPrint => Powered && !PaperOut && !CoverOpen && !Offline;

    /// <summary>Processes what the terminal has sent; returns the bytes taken.</summary>
    public int Pump(int timeoutMs = 0)
    {
        int n = _read(_chunk, 0, _chunk.Length, timeoutMs);
        Receive(_chunk, 0, n);
        return n;
    }

    /// <summary>Bytes from the terminal.</summary>
    public void Receive(byte[] buffer, int offset, int count)
    {
        List<string> errors = new();
        lock (_gate)
        {
            if (!Powered)
            {
                return;
            }

            BytesReceived += count;
            for (int i = 0; i < count; i++)
            {
                string? error = Take(buffer[offset + i]);
                if (error != null)
                {
                    ProtocolErrors++;
                    LastProtocolError = error;
                    errors.Add(error);
                }
            }
        }

        foreach (string error in errors)
        {
            ProtocolErrorSeen?.Invoke(error);
        }
    }

    /// <summary>Ends the document being printed (the simulator calls it when the line has been quiet a while).</summary>
    public void FinishIdle()
    {
        PrintedDocument? finished;
        lock (_gate)
        {
            finished = _current is { Lines.Count: > 0 } && _line.Count == 0 ? _current : null;
            if (finished != null)
            {
                _current = null;
            }
        }

        if (finished != null)
        {
            DocumentFinished?.Invoke(finished);
        }
    }

    public void StartThread()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                if (Pump(50) == 0)
                {
                    FinishIdle();
                }
            }
        })
        { IsBackground = true, Name = "ESC/POS printer model" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(1000);
    }

    /// <summary>
    /// The document as the paper shows it: <see cref="DotsPerLine"/> dots across, one bool per dot, row by row
    /// (for the simulator's PNG).
    /// </summary>
    public static (int Width, int Height, bool[] Dots) Render(PrintedDocument document)
    {
        int height = document.Lines.Sum(l => l.Height * CellHeight + LineGap) + LineGap;
        var dots = new bool[DotsPerLine * height];
        int top = LineGap;
        foreach (PrintedLine line in document.Lines)
        {
            int lineHeight = line.Height * CellHeight;
            int x = line.Align switch
            {
                1 => Math.Max(0, (DotsPerLine - line.WidthDots) / 2),
                2 => Math.Max(0, DotsPerLine - line.WidthDots),
                _ => 0,
            };
            foreach (PrintedChar c in line.Chars)
            {
                DrawChar(dots, c, x, top + lineHeight - c.Height * CellHeight);
                x += CellWidth * c.Width;
            }

            top += lineHeight + LineGap;
        }

        return (DotsPerLine, height, dots);
    }

    // ---- under _gate ----

    /// <summary>One byte of the stream; returns a protocol error or null.</summary>
    private string? Take(byte b)
    {
        switch (_stage)
        {
            case 0:
                return Plain(b);
            case 1:
                _stage = 0;
                return b switch
                {
                    (byte)'@' => Initialise(),
                    (byte)'a' or (byte)'E' or (byte)'d' => Expect(b),
                    _ => $"unknown command ESC 0x{b:X2}",
                };
            case 2:
                _stage = 0;
                return b == (byte)'!' ? Expect(0x80 | b) : $"unknown command GS 0x{b:X2}";
            case 3:
                _stage = b == 0x04 ? 4 : 0;
                return b == 0x04 ? null : $"unknown command DLE 0x{b:X2}";
            case 4:
                _stage = 0;
                return Status(b);
            default:
                _stage = 0;
                return Parameter(_command, b);
        }
    }

    private string? Plain(byte b)
    {
        switch (b)
        {
            case 0x1B:
                _stage = 1;
                return null;
            case 0x1D:
                _stage = 2;
                return null;
            case 0x10:
                _stage = 3;
                return null;
            case 0x0A:
                PrintLine();
                return null;
            case 0x0D:
                return null;
        }

        if (b < 0x20 || b == 0x7F)
        {
            return $"control byte 0x{b:X2} the printer does not take";
        }

        if (_line.Count == 0)
        {
            _lineAlign = _align;
        }

        if (LineDots() + CellWidth * _width > DotsPerLine)
        {
            WrappedLines++;
            PrintLine();
            _lineAlign = _align;
        }

        _line.Add(new PrintedChar(b < 0x80 ? (char)b : '?', _bold, _width, _height));
        return null;
    }

    private string? Expect(int command)
    {
        _command = (byte)command;
        _stage = 5;
        return null;
    }

    private string? Parameter(byte command, byte n)
    {
        switch (command)
        {
            case (byte)'a':
                if (n > 2 && (n < 48 || n > 50))
                {
                    return $"ESC a {n}: justification is 0..2 or 48..50";
                }

                _align = n % 48;
                return null;
            case (byte)'E':
                _bold = (n & 1) != 0;
                return null;
            case (byte)'d':
                if (_line.Count > 0)
                {
                    PrintLine();
                }

                for (int i = 0; i < n; i++)
                {
                    PrintLine();
                }

                return null;
            default: // GS !
                if ((n & 0x88) != 0)
                {
                    return $"GS ! 0x{n:X2}: width and height are 1..8 (bits 3 and 7 clear)";
                }

                _width = (n >> 4) + 1;
                _height = (n & 0x07) + 1;
                return null;
        }
    }

    private string? Initialise()
    {
        _line.Clear();
        _align = 0;
        _bold = false;
        _width = 1;
        _height = 1;
        PrintedDocument? finished = _current is { Lines.Count: > 0 } ? _current : null;
        _current = null;
        if (finished != null)
        {
            ThreadPool.QueueUserWorkItem(_ => DocumentFinished?.Invoke(finished));
        }

        return null;
    }

    private string? Status(byte n)
    {
        if (n < 1 || n > 4)
        {
            return $"DLE EOT {n}: n is 1..4";
        }

        StatusQueries++;
        byte answer = 0x12;
        bool offline = !CanPrint;
        switch (n)
        {
            case 1:
                answer |= (byte)(offline ? 0x08 : 0);
                break;
            case 2:
                answer |= (byte)((CoverOpen ? 0x04 : 0) | (PaperOut ? 0x20 : 0) | (Offline ? 0x40 : 0));
                break;
            case 4:
                answer |= (byte)((PaperLow || PaperOut ? 0x0C : 0) | (PaperOut ? 0x60 : 0));
                break;
        }

        _write(new[] { GarbledAnswers ? (byte)(answer ^ 0xA5) : answer }, 0, 1);
        return null;
    }

    private void PrintLine()
    {
        if (!CanPrint)
        {
            LostLines++;
            _line.Clear();
            return;
        }

        _current ??= NewDocument();
        _current.Lines.Add(new PrintedLine(_line.ToArray(), _line.Count == 0 ? _align : _lineAlign));
        _line.Clear();
    }

    private PrintedDocument NewDocument()
    {
        var document = new PrintedDocument();
        _documents.Add(document);
        return document;
    }

    private int LineDots() => _line.Sum(c => CellWidth * c.Width);

    private static void DrawChar(bool[] dots, PrintedChar c, int left, int top)
    {
        // The 5 x 7 glyph at 2 x 3 dots per glyph dot fills 10 x 21 of the 12 x 24 cell.
        int sx = 2 * c.Width;
        int sy = 3 * c.Height;
        for (int row = 0; row < PrinterFont.Rows; row++)
        {
            for (int column = 0; column < PrinterFont.Columns; column++)
            {
                if (!PrinterFont.IsDot(c.Char, column, row))
                {
                    continue;
                }

                for (int y = 0; y < sy; y++)
                {
                    for (int x = 0; x < sx + (c.Bold ? 1 : 0); x++)
                    {
                        int px = left + c.Width + column * sx + x;
                        int py = top + c.Height + row * sy + y;
                        if (px < DotsPerLine)
                        {
                            dots[py * DotsPerLine + px] = true;
                        }
                    }
                }
            }
        }
    }
}
