namespace Terminal.SimulatedDevices.Printer;

/// <summary>One character on the paper with the print modes it was printed in.</summary>
public readonly record struct PrintedChar(char Char, bool Bold, int Width, int Height);

/// <summary>One printed line: its characters and justification (0 left, 1 centre, 2 right); empty for a fed line.</summary>
public sealed class PrintedLine
{
    public PrintedLine(IReadOnlyList<PrintedChar> chars, int align)
    {
        Chars = chars;
        Align = align;
    }

    public IReadOnlyList<PrintedChar> Chars { get; }

    public int Align { get; }

    public string Text => new(Chars.Select(c => c.Char).ToArray());

    /// <summary>The tallest character's height multiplier (1 for an empty line).</summary>
    public int Height => Chars.Count == 0 ? 1 : Chars.Max(c => c.Height);

    public bool Bold => Chars.Count > 0 && Chars.All(c => c.Bold);

    /// <summary>Dots across the line's characters.</summary>
    public int WidthDots => Chars.Sum(c => EscPosPrinterModel.CellWidth * c.Width);
}

/// <summary>What the printer printed between two initialisations (ESC @): one receipt, as the firmware sends them.</summary>
public sealed class PrintedDocument
{
    public List<PrintedLine> Lines { get; } = new();

    /// <summary>The receipt as text, each line justified within the paper's 32 columns, double-width text spaced out.</summary>
    public string ToText()
    {
        var text = new System.Text.StringBuilder();
        foreach (PrintedLine line in Lines)
        {
            string content = string.Concat(line.Chars.Select(c => c.Width > 1 ? c.Char + new string(' ', c.Width - 1) : c.Char.ToString())).TrimEnd();
            int pad = line.Align switch
            {
                1 => Math.Max(0, (EscPosPrinterModel.Columns - content.Length) / 2),
                2 => Math.Max(0, EscPosPrinterModel.Columns - content.Length),
                _ => 0,
            };
            text.Append(new string(' ', pad)).Append(content).Append('\n');
        }

        return text.ToString();
    }
}
