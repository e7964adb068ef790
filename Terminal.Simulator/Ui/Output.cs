namespace Terminal.Simulator.Ui;

/// <summary>
/// The simulator's console: whole blocks written under one lock, so that the OLED picture, events and replies
/// from different threads never interleave; the interactive prompt is redrawn after background output.
/// </summary>
public sealed class Output
{
    private readonly TextWriter _writer;
    private readonly object _gate = new();

    public Output(TextWriter writer)
    {
        _writer = writer;
    }

    /// <summary>Shows "&gt; " again after background output (interactive mode only).</summary>
    public bool Prompting { get; set; }

    public void Line(string text = "")
    {
        lock (_gate)
        {
            _writer.WriteLine(text);
            _writer.Flush();
        }
    }

    /// <summary>Output from another thread than the prompt's: on its own lines, then the prompt again.</summary>
    public void Background(string text)
    {
        lock (_gate)
        {
            if (Prompting)
            {
                _writer.WriteLine();
            }

            _writer.Write(text.EndsWith('\n') ? text : text + "\n");
            if (Prompting)
            {
                _writer.Write("> ");
            }

            _writer.Flush();
        }
    }

    public void Prompt()
    {
        lock (_gate)
        {
            _writer.Write("> ");
            _writer.Flush();
        }
    }
}
