using System.Globalization;
using System.Text;

namespace Terminal.AntomEmulator;

/// <summary>
/// The emulator's transaction details report: what Antom delivers to a merchant at T+1 for reconciliation, made from the
/// emulator's own records (docs/antom-emulator.md, "Reconciliation report"). Shape as Antom documents it
/// (https://docs.antom.com/ac/reconcile/transaction_details): a header line of parameter names, one line per successful
/// transaction of day T, <c>&lt;END&gt;</c> as the last line, UTF-8; amounts in major units of the transaction currency
/// (Antom's report FAQ: "the default unit in the report is yuan"); the SFTP path
/// <c>/v1/settlements/&lt;customerId&gt;/&lt;yyyyMMdd&gt;/transactionItems_&lt;yyyyMMdd&gt;_000.csv</c>
/// (https://docs.antom.com/ac/marketplace/obtain_reports). Antom serves it over SFTP; the emulator writes the same
/// folder layout under a local folder, or serves the file on its control API.
/// <list type="bullet">
/// <item>PAYMENT: a payment that succeeded on day T (its paymentTime), whatever happened to it later.</item>
/// <item>CANCEL: a paid payment cancelled on day T (a cancel before payment moved no money and is not listed).</item>
/// <item>REFUND: a refund that succeeded on day T, with the refunded payment as originalTransactionId.</item>
/// </list>
/// </summary>
public static class TransactionDetailsReport
{
    /// <summary>The header line: the documented parameters the emulator fills, in the documented order.</summary>
    public const string Header =
        "customerId,PSP,transactionId,originalTransactionId,transactionRequestId,transactionType,transactionTime,transactionAmountValue,transactionCurrency";

    /// <summary>The acquirer named in the PSP column.</summary>
    public const string Acquirer = "Antom";

    /// <summary>Antom's default report name, e.g. <c>transactionItems_20261203_000.csv</c>.</summary>
    public static string FileName(DateOnly day) => $"transactionItems_{Compact(day)}_000.csv";

    /// <summary>The report's path below the SFTP root, with '/' separators.</summary>
    public static string RelativePath(string customerId, DateOnly day) => $"v1/settlements/{customerId}/{Compact(day)}/{FileName(day)}";

    /// <summary>The report of <paramref name="clientId"/>'s transactions on <paramref name="day"/> in <paramref name="zone"/>.</summary>
    public static string Build(EmulatorRecords records, string clientId, DateOnly day, TimeZoneInfo zone)
    {
        var start = Midnight(day, zone);
        var end = Midnight(day.AddDays(1), zone);
        bool OnDay(DateTimeOffset? t) => t is { } time && time >= start && time < end;

        var lines = new List<(DateTimeOffset Time, string Line)>();
        foreach (var p in records.Payments().Where(p => p.ClientId == clientId))
        {
            if (OnDay(p.PaymentTime))
                lines.Add((p.PaymentTime!.Value, Line(clientId, p.PaymentId, "", p.PaymentRequestId, "PAYMENT", p.PaymentTime.Value, p.Amount, zone)));
            if (p.PaymentTime != null && OnDay(p.CancelTime))
                lines.Add((p.CancelTime!.Value, Line(clientId, p.PaymentId, p.PaymentId, p.PaymentRequestId, "CANCEL", p.CancelTime.Value, p.Amount, zone)));
        }
        foreach (var r in records.Refunds().Where(r => r.ClientId == clientId && r.Status == RefundStatus.Success))
        {
            if (OnDay(r.RefundTime))
                lines.Add((r.RefundTime!.Value, Line(clientId, r.RefundId, r.PaymentId, r.RefundRequestId, "REFUND", r.RefundTime.Value, r.Amount, zone)));
        }

        var text = new StringBuilder(Header.Length + 2 + lines.Count * 200);
        text.Append(Header).Append('\n');
        foreach (var (_, line) in lines.OrderBy(l => l.Time)) text.Append(line).Append('\n');
        text.Append("<END>\n");
        return text.ToString();
    }

    /// <summary>Writes the report under <paramref name="root"/> in the SFTP layout; returns the file's full path.</summary>
    public static string WriteTo(string root, EmulatorRecords records, string clientId, DateOnly day, TimeZoneInfo zone)
    {
        string path = Path.Combine(root, RelativePath(clientId, day).Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".part";
        File.WriteAllText(temporary, Build(records, clientId, day, zone), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Major units with the currency's decimals: USD 1250 is "12.50", JPY 500 is "500".</summary>
    public static string MajorUnits(AntomAmount amount)
    {
        int exponent = Currencies.Get(amount.Currency).Exponent;
        decimal major = amount.Value;
        for (int i = 0; i < exponent; i++) major /= 10m;
        return major.ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string Line(string customerId, string id, string originalId, string requestId, string type, DateTimeOffset time, AntomAmount amount, TimeZoneInfo zone) =>
        string.Join(',', customerId, Acquirer, id, originalId, requestId, type,
            TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), MajorUnits(amount), amount.Currency);

    private static string Compact(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Midnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
