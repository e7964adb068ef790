using System.Collections.Concurrent;
using System.Text;
using Terminal.Drivers.Ports;
using Terminal.Firmware.HostLink;

namespace Terminal.Simulator.Register;

/// <summary>
/// The cash register's end of the host link (docs/host-link.md): sends numbered request lines with their CRC-8,
/// reads the terminal's replies and events on its own thread, and lets callers wait for a reply to a request or for
/// an event. Every received line is also handed to <see cref="LineReceived"/> (the interactive shell prints them).
/// </summary>
public sealed class HostLinkClient : IDisposable
{
    private readonly ISerialPort _port;
    private readonly Thread _reader;
    private readonly object _gate = new();
    private readonly List<HostLinkLine> _lines = new();
    private readonly BlockingCollection<HostLinkLine> _events = new();
    private volatile bool _stop;
    private int _nextId;

    public HostLinkClient(ISerialPort port)
    {
        _port = port;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "register host link" };
        _reader.Start();
    }

    /// <summary>Every line from the terminal, on the reader thread.</summary>
    public Action<HostLinkLine>? LineReceived { get; set; }

    /// <summary>Lines with a bad checksum or shape (should stay 0).</summary>
    public int BadLines { get; private set; }

    /// <summary>Sends <c>&lt;id&gt; &lt;request&gt;*CC</c> and returns the id.</summary>
    public int Send(string request)
    {
        int id = Interlocked.Increment(ref _nextId);
        string text = id + " " + request;
        byte[] line = Encoding.ASCII.GetBytes(text + "*" + HostLinkChecksum.Compute(text).ToString("X2") + "\r\n");
        _port.Write(line, 0, line.Length);
        return id;
    }

    /// <summary>Sends a request and waits for its final reply (OK or ERR); INFO lines before it are in <see cref="HostLinkReply.Info"/>.</summary>
    public HostLinkReply Request(string request, int timeoutMs = 10000)
    {
        int id = Send(request);
        long deadline = Environment.TickCount64 + timeoutMs;
        lock (_gate)
        {
            while (true)
            {
                HostLinkLine? final = _lines.Find(l => !l.IsEvent && l.Id == id && l.Word(1) != "INFO");
                if (final != null)
                {
                    var info = _lines.Where(l => !l.IsEvent && l.Id == id && l.Word(1) == "INFO").Select(l => l.Rest(2)).ToList();
                    _lines.RemoveAll(l => !l.IsEvent && l.Id == id);
                    return new HostLinkReply(final, info);
                }

                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    throw new TimeoutException($"no reply to \"{request}\" within {timeoutMs} ms");
                }

                Monitor.Wait(_gate, (int)left);
            }
        }
    }

    /// <summary>Waits for the next event that satisfies <paramref name="match"/>, dropping the others; null on timeout.</summary>
    public HostLinkLine? WaitForEvent(Func<HostLinkLine, bool> match, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0 || !_events.TryTake(out HostLinkLine? line, (int)left))
            {
                return null;
            }

            if (match(line))
            {
                return line;
            }
        }
    }

    /// <summary>Takes an event if one is waiting.</summary>
    public HostLinkLine? TryTakeEvent(int timeoutMs = 0) => _events.TryTake(out HostLinkLine? line, timeoutMs) ? line : null;

    /// <summary>Forgets events not yet taken.</summary>
    public void ClearEvents()
    {
        while (_events.TryTake(out _))
        {
        }
    }

    public void Dispose()
    {
        _stop = true;
        _reader.Join(1000);
    }

    private void ReadLoop()
    {
        byte[] chunk = new byte[256];
        var line = new List<byte>(256);
        while (!_stop)
        {
            int n;
            try
            {
                n = _port.Read(chunk, 0, chunk.Length, 50);
            }
            catch (Exception) when (!_stop)
            {
                Thread.Sleep(50);
                continue;
            }

            for (int i = 0; i < n; i++)
            {
                if (chunk[i] != 0x0A)
                {
                    line.Add(chunk[i]);
                    continue;
                }

                if (line.Count > 0 && line[^1] == 0x0D)
                {
                    line.RemoveAt(line.Count - 1);
                }

                Accept(Encoding.ASCII.GetString(line.ToArray()));
                line.Clear();
            }
        }
    }

    private void Accept(string raw)
    {
        HostLinkLine? parsed = HostLinkLine.Parse(raw);
        if (parsed == null)
        {
            BadLines++;
            return;
        }

        LineReceived?.Invoke(parsed);
        if (parsed.IsEvent)
        {
            _events.Add(parsed);
            return;
        }

        lock (_gate)
        {
            _lines.Add(parsed);
            Monitor.PulseAll(_gate);
        }
    }
}

/// <summary>A final reply and the INFO lines that came before it.</summary>
public sealed record HostLinkReply(HostLinkLine Line, IReadOnlyList<string> Info)
{
    public bool Ok => Line.Word(1) == "OK";

    /// <summary>The ERR code word (BUSY, NOTFOUND ...), or null for OK.</summary>
    public string? Error => Ok ? null : Line.Word(2);

    public override string ToString() => Line.Text;
}

/// <summary>One checked line from the terminal: a reply (<c>id ...</c>) or an event (<c>!seq ...</c>).</summary>
public sealed class HostLinkLine
{
    private readonly string[] _words;

    private HostLinkLine(string text, bool isEvent, int id)
    {
        Text = text;
        IsEvent = isEvent;
        Id = id;
        _words = text.Split(' ');
    }

    /// <summary>The line without checksum and CR LF.</summary>
    public string Text { get; }

    public bool IsEvent { get; }

    /// <summary>The request id of a reply, the sequence number of an event.</summary>
    public int Id { get; }

    /// <summary>Event name (RESULT, SHOW_QR ...) or reply kind (OK, ERR, INFO).</summary>
    public string Name => Word(1) ?? string.Empty;

    public DateTime ReceivedAt { get; } = DateTime.Now;

    /// <summary>The n-th space-separated word (0 = id), null past the end.</summary>
    public string? Word(int index) => index < _words.Length ? _words[index] : null;

    /// <summary>Words from <paramref name="index"/> on, joined by spaces (free text).</summary>
    public string Rest(int index) => index < _words.Length ? string.Join(' ', _words, index, _words.Length - index) : string.Empty;

    public static HostLinkLine? Parse(string raw)
    {
        int mark = raw.LastIndexOf('*');
        if (mark < 0 || raw.Length - mark != 3)
        {
            return null;
        }

        string text = raw[..mark];
        if (!int.TryParse(raw.AsSpan(mark + 1), System.Globalization.NumberStyles.HexNumber, null, out int crc) || crc != HostLinkChecksum.Compute(text))
        {
            return null;
        }

        bool isEvent = text.StartsWith('!');
        int space = text.IndexOf(' ');
        if (space < 0 || !int.TryParse(text.AsSpan(isEvent ? 1 : 0, space - (isEvent ? 1 : 0)), out int id))
        {
            return null;
        }

        return new HostLinkLine(text, isEvent, id);
    }

    public override string ToString() => Text;
}

/// <summary>A RESULT event or LAST reply, read into fields.</summary>
public sealed record HostLinkResultLine(string Kind, string Reference, string Outcome, long AmountMinor, string Currency, string? PaymentId, string? ReasonCode, string Message)
{
    /// <summary>Reads the fields starting at word <paramref name="first"/> (2 for RESULT events, 3 for OK LAST replies).</summary>
    public static HostLinkResultLine From(HostLinkLine line, int first)
    {
        static string? Dash(string? s) => s == "-" ? null : s;
        return new HostLinkResultLine(
            line.Word(first) ?? "?",
            line.Word(first + 1) ?? "?",
            line.Word(first + 2) ?? "?",
            long.TryParse(line.Word(first + 3), out long amount) ? amount : 0,
            line.Word(first + 4) ?? "?",
            Dash(line.Word(first + 5)),
            Dash(line.Word(first + 6)),
            line.Rest(first + 7));
    }
}
