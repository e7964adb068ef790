namespace Terminal.Gateway.EndOfDay;

/// <summary>
/// The counts and sums of one group of records (a day, store, device and currency; or a currency over the whole
/// selection). Amounts are minor units of <see cref="Currency"/>. What counts where (docs/reconciliation.md, "Day
/// totals"):
/// <list type="bullet">
/// <item>sales: payments whose status is SUCCESS (paid and not voided);</item>
/// <item>voids: payments whose status is CANCELLED (voided after payment, or an order closed by a cancel);</item>
/// <item>refunds: refunds whose status is SUCCESS, on the day the refund was made;</item>
/// <item>net = sales − refunds: what the day brought in (voids are not in sales);</item>
/// <item>failed: payments that FAILED; open: payments and refunds still PENDING or PROCESSING (the resolver will
/// finish them; totals of a day with open records can still change).</item>
/// </list>
/// A payment or void belongs to the day the payment was created, a refund to the day the refund was created, both in
/// the merchant's time zone (<see cref="EndOfDayOptions.TimeZone"/>).
/// </summary>
public sealed record DayFigures(
    long SalesCount, long SalesMinor, long VoidsCount, long VoidsMinor, long RefundsCount, long RefundsMinor,
    long FailedCount, long OpenCount)
{
    public static readonly DayFigures Zero = new(0, 0, 0, 0, 0, 0, 0, 0);

    public long NetMinor => SalesMinor - RefundsMinor;

    /// <summary>The figures of <paramref name="count"/> payments of one status summing <paramref name="amount"/>.</summary>
    public static DayFigures OfPayments(string status, long count, long amount) => status switch
    {
        "SUCCESS" => new DayFigures(count, amount, 0, 0, 0, 0, 0, 0),
        "CANCELLED" => new DayFigures(0, 0, count, amount, 0, 0, 0, 0),
        "FAIL" => new DayFigures(0, 0, 0, 0, 0, 0, count, 0),
        "PENDING" or "PROCESSING" => new DayFigures(0, 0, 0, 0, 0, 0, 0, count),
        _ => Zero,
    };

    /// <summary>The figures of <paramref name="count"/> refunds of one status summing <paramref name="amount"/>.</summary>
    public static DayFigures OfRefunds(string status, long count, long amount) => status switch
    {
        "SUCCESS" => new DayFigures(0, 0, 0, 0, count, amount, 0, 0),
        "PENDING" or "PROCESSING" => new DayFigures(0, 0, 0, 0, 0, 0, 0, count),
        _ => Zero,
    };

    public DayFigures Plus(DayFigures o) => new(SalesCount + o.SalesCount, SalesMinor + o.SalesMinor, VoidsCount + o.VoidsCount,
        VoidsMinor + o.VoidsMinor, RefundsCount + o.RefundsCount, RefundsMinor + o.RefundsMinor, FailedCount + o.FailedCount, OpenCount + o.OpenCount);
}

/// <summary>The figures of one store, device and currency of a day, as the database gives them.</summary>
public sealed record StoreDeviceFigures(string Store, string Device, string Currency, DayFigures Figures);

/// <summary>One line of the totals: a day, store, device and currency.</summary>
public sealed record DayTotalsLine(DateOnly Day, string StoreId, string DeviceId, string Currency, DayFigures Figures);

/// <summary>A currency's totals over every line of the report.</summary>
public sealed record CurrencyTotals(string Currency, DayFigures Figures);

/// <summary>Which records the totals cover: local dates <see cref="From"/>..<see cref="To"/> (inclusive), optionally one
/// store and/or one device.</summary>
public sealed record TotalsFilter(DateOnly From, DateOnly To, string? StoreId = null, string? DeviceId = null)
{
    /// <summary>Most days one report covers (a month and a bit).</summary>
    public const int MaxDays = 31;

    /// <summary>Null when the filter is usable, else what is wrong with it.</summary>
    public string? Problem()
    {
        if (To < From) return "to: must not be before from";
        if (To.DayNumber - From.DayNumber + 1 > MaxDays) return $"a report covers at most {MaxDays} days";
        if (StoreId is { } s && !Devices.DeviceValidation.IsReference(s)) return "store: not a store id";
        if (DeviceId is { } d && !Devices.DeviceValidation.IsDeviceId(d)) return "device: not a device id";
        return null;
    }
}

/// <summary>
/// The totals of a selection: lines ordered by day, store, device and currency, and the sum per currency (money of
/// different currencies is never added up).
/// </summary>
public sealed record DayTotalsReport(TotalsFilter Filter, string TimeZone, IReadOnlyList<DayTotalsLine> Lines, IReadOnlyList<CurrencyTotals> Totals)
{
    /// <summary>The totals of <paramref name="currency"/>, or zero if no line has it.</summary>
    public DayFigures Of(string currency) => Totals.FirstOrDefault(t => t.Currency == currency)?.Figures ?? DayFigures.Zero;
}

/// <summary>
/// One row of the quarter-hour totals (migration 0014_quarter_hour_totals): the payments or refunds (<see cref="Kind"/>)
/// created in the UTC quarter hour <see cref="Quarter"/> (created_at / 900000) with one currency and status.
/// </summary>
public sealed record QuarterFigures(long Quarter, string Kind, string Currency, string Status, long Records, long AmountMinor)
{
    public const long QuarterMs = 900_000;

    public long StartMs => Quarter * QuarterMs;

    public DayFigures Figures => Kind == "refund" ? DayFigures.OfRefunds(Status, Records, AmountMinor) : DayFigures.OfPayments(Status, Records, AmountMinor);
}

/// <summary>A currency's totals of one day of the selection.</summary>
public sealed record DayCurrencyTotals(DateOnly Day, string Currency, DayFigures Figures);

/// <summary>
/// A page of the totals: at most about <see cref="EndOfDayQueries.PageLines"/> lines (a terminal's lines are never split),
/// in the order of <see cref="DayTotalsReport.Lines"/>; the totals per currency and per day and currency of the whole
/// selection; <see cref="Next"/>, the cursor of the next page, null on the last.
/// </summary>
public sealed record DayTotalsPage(
    TotalsFilter Filter, string TimeZone, IReadOnlyList<DayTotalsLine> Lines, IReadOnlyList<CurrencyTotals> Totals, IReadOnlyList<DayCurrencyTotals> Days,
    string? Next)
{
    public DayFigures Of(string currency) => Totals.FirstOrDefault(t => t.Currency == currency)?.Figures ?? DayFigures.Zero;
}
