using Terminal.Simulator.Register;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// How the chaos run's register learns that a keypad sale began: the terminal chose its reference (KP-n), so the first
/// host-link event naming a KP reference not seen before is the sale's. That is its SHOW_QR, or its RESULT when the
/// order could not be created (every attempt lost on the network or faulted at Antom, likelier on a loaded machine whose
/// exchanges time out): the terminal then ends the sale without a QR, and the run must take that result as the sale's
/// outcome rather than wait for a QR that never comes. A reboot may report an earlier keypad sale's result again; that
/// one is not the new sale's.
/// </summary>
public sealed class KeypadSaleStart
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="line"/> is the first event of a keypad sale not seen before.</summary>
    public bool IsStart(HostLinkLine line)
    {
        string? reference = ReferenceOf(line);
        return reference != null && reference.StartsWith("KP-", StringComparison.Ordinal) && !_seen.Contains(reference);
    }

    /// <summary>The sale's reference from its first event; remembered, so no later event of it starts a sale.</summary>
    public string Take(HostLinkLine start)
    {
        string reference = ReferenceOf(start) ?? throw new ArgumentException("not a sale's SHOW_QR or RESULT: " + start.Text, nameof(start));
        _seen.Add(reference);
        return reference;
    }

    private static string? ReferenceOf(HostLinkLine line) => line.Name switch
    {
        "SHOW_QR" => line.Word(2),
        "RESULT" when line.Word(2) == "SALE" => line.Word(3),
        _ => null,
    };
}
