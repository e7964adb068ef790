using static Terminal.Tests.EndOfDay.DayRecords;

namespace Terminal.Tests.EndOfDay;

/// <summary>
/// Three and a half days of payments and refunds in Europe/Berlin around the end of summer time (2026-10-25 has 25
/// hours), crowded around local midnight: voids whose cancel comes after midnight, refunds made on a later day than their
/// payment, refunds of payments the gateway has no record of, records at exactly midnight, and runs of payments that share
/// a millisecond. Pseudo-random from a fixed seed, so a failure repeats.
/// </summary>
internal static class GeneratedDays
{
    public const string TimeZone = "Europe/Berlin";
    public static readonly DateOnly FirstDay = new(2026, 10, 24);
    public static readonly DateOnly LastDay = new(2026, 10, 26);
    public static readonly string[] Stores = ["S1", "S2", "S3"];
    public static readonly string[] Statuses = ["SUCCESS", "CANCELLED", "FAIL", "PENDING", "PROCESSING"];

    public static string StoreOf(string device) => Stores[int.Parse(device[1..], System.Globalization.CultureInfo.InvariantCulture) % Stores.Length];

    public static (List<PaymentRow> Payments, List<RefundRow> Refunds) Create(int payments = 1500)
    {
        var random = new Random(1512);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        long Midnight(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue))).ToUnixTimeMilliseconds();
        long from = Midnight(FirstDay) - 4 * 3_600_000L, to = Midnight(LastDay.AddDays(1)) + 4 * 3_600_000L;
        var midnights = Enumerable.Range(0, 4).Select(i => Midnight(FirstDay.AddDays(i))).ToArray();
        var paymentRows = new List<PaymentRow>();
        var refundRows = new List<RefundRow>();
        long previous = from;
        for (int i = 0; i < payments; i++)
        {
            int pick = random.Next(100);
            long created = pick switch
            {
                < 30 => midnights[random.Next(midnights.Length)] + random.Next(-300_000, 300_000), // within 5 minutes of a midnight
                < 33 => midnights[random.Next(midnights.Length)],                                   // at exactly midnight
                < 40 => previous,                                                                    // the same millisecond as the last one
                _ => from + (long)(random.NextDouble() * (to - from)),
            };
            previous = created;
            string status = Statuses[random.Next(100) switch { < 60 => 0, < 70 => 1, < 80 => 2, < 90 => 3, _ => 4 }];
            string device = "T" + (1 + random.Next(6)).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
            string currency = random.Next(4) == 0 ? "JPY" : "USD";
            string? paymentId = status is "SUCCESS" or "CANCELLED" ? "A" + i : null;
            long updated = created + (status == "CANCELLED" ? random.Next(60_000, 2 * 3_600_000) : random.Next(0, 5_000));
            paymentRows.Add(new PaymentRow("P" + i, paymentId, device, StoreOf(device), currency, 100 + random.Next(50_000), status, created, updated));
            if (status == "SUCCESS" && random.Next(100) < 30)
            {
                for (int k = 0, n = 1 + random.Next(2); k < n; k++)
                {
                    string refundStatus = random.Next(100) switch { < 60 => "SUCCESS", < 75 => "FAIL", < 90 => "PENDING", _ => "PROCESSING" };
                    long at = created + random.Next(1_000, 3 * 3_600_000);
                    refundRows.Add(new RefundRow($"R{i}-{k}", refundStatus == "SUCCESS" ? $"F{i}-{k}" : null, paymentId!, device, currency,
                        1 + random.Next(5_000), refundStatus, at, at + 1_000));
                }
            }
        }
        for (int i = 0; i < 30; i++)
        {
            // Refunds whose payment the gateway has no record of (kept elsewhere, or removed): their store is ''.
            long at = from + (long)(random.NextDouble() * (to - from));
            refundRows.Add(new RefundRow("RX" + i, "FX" + i, "AX" + i, "T0001", "USD", 1 + random.Next(5_000), i % 3 == 0 ? "PENDING" : "SUCCESS", at, at));
        }
        return (paymentRows, refundRows);
    }
}
