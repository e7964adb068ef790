using System.Globalization;
using System.Text;

namespace Terminal.Gateway.EndOfDay;

/// <summary>One row of Antom's transaction details report. <see cref="AmountMinor"/> is in minor units (the report
/// writes major units, e.g. 12.50 USD); <see cref="Line"/> is the row's line in the file, for the operator.</summary>
public sealed record AntomTransaction(
    int Line, string TransactionId, string? OriginalTransactionId, string? TransactionRequestId, string Type, DateTimeOffset Time,
    long AmountMinor, string Currency);

/// <summary>The report was refused; the message says where and why (line, column, value).</summary>
public sealed class AntomReportException(string message) : Exception(message);

/// <summary>
/// Reads Antom's transaction details report (the daily <c>transactionItems_&lt;date&gt;_000.csv</c>), as Antom documents
/// it: a header line of parameter names, one line per transaction, and <c>&lt;END&gt;</c> as the last line; UTF-8
/// (https://docs.antom.com/ac/reconcile/transaction_details, https://docs.antom.com/ac/reconcile/perform). Columns are
/// found by name (Antom may configure more columns for a merchant); the ones reconciliation needs must be there.
/// Anything else is refused with the line and the reason, never half read: a file without its <c>&lt;END&gt;</c> line
/// is a truncated download.
/// </summary>
public static class AntomTransactionReport
{
    public const string EndMarker = "<END>";

    /// <summary>Most rows one report may hold.</summary>
    public const int MaxRows = 2_000_000;

    private const int MaxIdLength = 64;

    private static readonly string[] Required =
        ["transactionId", "transactionType", "transactionTime", "transactionAmountValue", "transactionCurrency"];

    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFzzz"];

    /// <summary>
    /// Parses <paramref name="bytes"/>. <paramref name="expectedCustomerId"/>: when set and the report has a customerId
    /// column, every row must name this merchant (a report of another merchant is refused, not compared).
    /// </summary>
    public static List<AntomTransaction> Parse(ReadOnlySpan<byte> bytes, int maxBytes, string? expectedCustomerId = null)
    {
        if (bytes.Length > maxBytes) throw new AntomReportException($"the report is {bytes.Length} bytes, more than the {maxBytes} accepted (Gateway:EndOfDay:MaxReportBytes)");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new AntomReportException($"the report is not UTF-8 (invalid bytes at offset {e.Index}): Antom encodes every report in UTF-8");
        }

        var reader = new Csv.Reader(text);
        List<string>? header;
        try
        {
            header = reader.Next();
        }
        catch (FormatException e)
        {
            throw new AntomReportException(e.Message);
        }
        if (header == null || header.Count == 1 && header[0].Length == 0) throw new AntomReportException("the report is empty: no header line");
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++)
        {
            string name = header[i].Trim();
            if (name.Length == 0) throw new AntomReportException($"line 1: column {i + 1} has no name");
            if (!columns.TryAdd(name, i)) throw new AntomReportException($"line 1: column {name} appears twice");
        }
        var missing = Required.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new AntomReportException($"line 1: not a transaction details report: column(s) {string.Join(", ", missing)} missing (header: {Shorten(string.Join(",", header))})");
        int original = columns.GetValueOrDefault("originalTransactionId", -1);
        int request = columns.GetValueOrDefault("transactionRequestId", -1);
        int customer = columns.GetValueOrDefault("customerId", -1);

        var rows = new List<AntomTransaction>();
        bool ended = false;
        while (true)
        {
            List<string>? fields;
            try
            {
                fields = reader.Next();
            }
            catch (FormatException e)
            {
                throw new AntomReportException(e.Message);
            }
            if (fields == null) break;
            int line = reader.Line;
            if (fields.Count == 1 && fields[0].Length == 0) continue; // a blank line says nothing
            if (ended) throw new AntomReportException($"line {line}: text after the {EndMarker} line");
            if (fields.Count == 1 && fields[0].Trim() == EndMarker)
            {
                ended = true;
                continue;
            }
            if (fields.Count != header.Count)
                throw new AntomReportException($"line {line}: {fields.Count} fields, the header has {header.Count}");
            if (rows.Count >= MaxRows) throw new AntomReportException($"line {line}: more than {MaxRows} transactions in one report");
            if (customer >= 0 && expectedCustomerId != null && fields[customer] != expectedCustomerId)
                throw new AntomReportException($"line {line}: customerId {Shorten(fields[customer])} is not this gateway's merchant ({expectedCustomerId}): the report belongs to another merchant");
            rows.Add(Row(line, fields, columns, original, request));
        }
        if (!ended) throw new AntomReportException($"the report has no {EndMarker} line: it is incomplete (a truncated download?)");
        return rows;
    }

    private static AntomTransaction Row(int line, List<string> f, Dictionary<string, int> columns, int original, int request)
    {
        string id = Id(line, "transactionId", f[columns["transactionId"]], required: true)!;
        string type = f[columns["transactionType"]].Trim();
        if (type.Length is 0 or > 32 || !type.All(c => c is >= 'A' and <= 'Z' or '_'))
            throw new AntomReportException($"line {line}, transactionType: {Shorten(type)} is not a transaction type (PAYMENT, REFUND, CANCEL, ...)");
        string timeText = f[columns["transactionTime"]].Trim();
        if (!DateTimeOffset.TryParseExact(timeText, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw new AntomReportException($"line {line}, transactionTime: {Shorten(timeText)} is not an ISO 8601 time with offset (2026-12-03T14:05:09+08:00)");
        string currency = f[columns["transactionCurrency"]].Trim();
        int exponent = Terminal.Core.Money.Currency.Exponent(currency);
        if (exponent < 0) throw new AntomReportException($"line {line}, transactionCurrency: {Shorten(currency)} is not an ISO 4217 currency code");
        string amountText = f[columns["transactionAmountValue"]].Trim();
        long amount = MinorUnits(amountText, exponent)
            ?? throw new AntomReportException($"line {line}, transactionAmountValue: {Shorten(amountText)} is not an amount in {currency} (major units, at most {exponent} decimals)");
        string? originalId = original >= 0 ? Id(line, "originalTransactionId", f[original], required: false) : null;
        string? requestId = request >= 0 ? Id(line, "transactionRequestId", f[request], required: false) : null;
        if (type is "REFUND" or "CANCEL" && originalId == null && request < 0)
            throw new AntomReportException($"line {line}: a {type} without originalTransactionId or transactionRequestId cannot be matched");
        return new AntomTransaction(line, id, originalId, requestId, type, time, amount, currency);
    }

    private static string? Id(int line, string column, string value, bool required)
    {
        string id = value.Trim();
        if (id.Length == 0)
        {
            if (required) throw new AntomReportException($"line {line}, {column}: empty");
            return null;
        }
        if (id.Length > MaxIdLength || id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            throw new AntomReportException($"line {line}, {column}: {Shorten(id)} is not an id (1 to {MaxIdLength} printable characters)");
        return id;
    }

    /// <summary>
    /// "12.50" in a currency of 2 decimals is 1250. A sign is allowed (some reports write reversals negative); the
    /// magnitude is returned, the transaction type says the direction. Null for anything else, including more decimals
    /// than the currency has and more than 15 whole digits (Antom's amount value is String (16); more would not fit in minor units).
    /// </summary>
    internal static long? MinorUnits(string text, int exponent)
    {
        ReadOnlySpan<char> s = text;
        if (s.Length > 0 && s[0] is '-' or '+') s = s[1..];
        int dot = s.IndexOf('.');
        ReadOnlySpan<char> whole = dot < 0 ? s : s[..dot];
        ReadOnlySpan<char> fraction = dot < 0 ? [] : s[(dot + 1)..];
        if (whole.Length is 0 or > 15 || (dot >= 0 && fraction.Length is 0) || fraction.Length > exponent) return null;
        foreach (char c in whole) if (!char.IsAsciiDigit(c)) return null;
        foreach (char c in fraction) if (!char.IsAsciiDigit(c)) return null;
        long value = 0;
        foreach (char c in whole) value = value * 10 + (c - '0');
        for (int i = 0; i < exponent; i++) value = value * 10 + (i < fraction.Length ? fraction[i] - '0' : 0);
        return value;
    }

    private static string Shorten(string value)
    {
        string printable = new(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return "'" + (printable.Length > 40 ? printable[..40] + "..." : printable) + "'";
    }
}
