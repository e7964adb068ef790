using System.Globalization;
using System.Net;
using System.Text;

namespace Terminal.Gateway.OperationsConsole.Rendering;

/// <summary>
/// Small charts drawn on the server as inline SVG: no script, nothing for the Content-Security-Policy to allow. Only
/// numbers and encoded labels go into the markup; styling comes from console.css classes.
/// </summary>
public static class SvgChart
{
    private const int Width = 720, Height = 200, Left = 48, Bottom = 24, Top = 12, Right = 8;

    /// <summary>A bar per slot (e.g. the 24 hours of today), with the largest value marked on the axis.</summary>
    public static string Bars(string title, IReadOnlyList<long> values, Func<int, string> slotLabel, int labelEvery)
    {
        long max = Math.Max(1, values.Count == 0 ? 1 : values.Max());
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double slot = values.Count == 0 ? plotW : plotW / values.Count;
        var sb = Open(title);
        Axes(sb, max.ToString(CultureInfo.InvariantCulture));
        for (int i = 0; i < values.Count; i++)
        {
            double h = values[i] * plotH / max;
            double x = Left + i * slot + slot * 0.15;
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{x:0.#}\" y=\"{Top + plotH - h:0.#}\" width=\"{slot * 0.7:0.#}\" height=\"{h:0.#}\"><title>{Encode(slotLabel(i))}: {values[i]}</title></rect>");
            if (i % labelEvery == 0)
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + i * slot + slot / 2:0.#}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Encode(slotLabel(i))}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>One or two lines over time (x: epoch ms), each scaled to its own range, with the first's range on the axis.</summary>
    public static string Lines(string title, IReadOnlyList<(long X, long? Y)> first, IReadOnlyList<(long X, long? Y)>? second, string firstName, string? secondName)
    {
        var sb = Open(title);
        var ys = first.Where(p => p.Y != null).Select(p => p.Y!.Value).ToList();
        Axes(sb, ys.Count == 0 ? "" : ys.Max().ToString(CultureInfo.InvariantCulture), ys.Count == 0 ? "" : ys.Min().ToString(CultureInfo.InvariantCulture));
        var xs = first.Select(p => p.X).Concat(second?.Select(p => p.X) ?? []).ToList();
        if (xs.Count > 0)
        {
            long x0 = xs.Min(), x1 = Math.Max(xs.Max(), x0 + 1);
            Polyline(sb, first, x0, x1, "line");
            if (second != null) Polyline(sb, second, x0, x1, "line2");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 8}\">{Encode(ConsoleFormat.Time(x0))}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 8}\" text-anchor=\"end\">{Encode(ConsoleFormat.Time(x1))}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 4}\" y=\"{Top + 10}\">{Encode(firstName)} (blue){(secondName == null ? "" : ", " + Encode(secondName) + " (red), own scale")}</text>");
        return sb.Append("</svg>").ToString();
    }

    private static void Polyline(StringBuilder sb, IReadOnlyList<(long X, long? Y)> points, long x0, long x1, string css)
    {
        var valid = points.Where(p => p.Y != null).ToList();
        if (valid.Count == 0) return;
        long min = valid.Min(p => p.Y!.Value), max = valid.Max(p => p.Y!.Value);
        if (max == min) max = min + 1;
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{css}\" points=\"");
        foreach (var p in valid)
        {
            double x = Left + (p.X - x0) * plotW / (x1 - x0);
            double y = Top + plotH - (p.Y!.Value - min) * plotH / (max - min);
            sb.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#} ");
        }
        sb.Append("\"/>");
    }

    private static StringBuilder Open(string title) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(title)}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{Encode(title)}</title>");

    private static void Axes(StringBuilder sb, string top, string bottom = "0")
    {
        int plotBottom = Height - Bottom;
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{plotBottom}\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{plotBottom}\" x2=\"{Width - Right}\" y2=\"{plotBottom}\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" y1=\"{Top}\" x2=\"{Width - Right}\" y2=\"{Top}\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Top + 4}\" text-anchor=\"end\">{Encode(top)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{plotBottom}\" text-anchor=\"end\">{Encode(bottom)}</text>");
    }

    private static string Encode(string s) => WebUtility.HtmlEncode(s);
}
