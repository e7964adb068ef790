using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.EndOfDay;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>
/// The streamed export of the day's totals (<see cref="DayTotalsExport"/>) gives the same bytes as the answer built whole
/// before it (<see cref="PreviousExport"/>: the JsonObject and the joined CSV records the gateway wrote until the export
/// streamed), on records with awkward text, on SQLite and PostgreSQL; and it leaves in blocks, not as one write.
/// </summary>
public sealed class DayTotalsExportTests
{
    private static readonly DateOnly Day = new(2026, 12, 3);

    /// <summary>Store ids a spreadsheet or a JSON reader could trip on, and ones whose order depends on the collation.</summary>
    private static readonly string[] AwkwardStores =
    [
        "S001", "a,b", "quote\"d", "\"", "Zürich-Bahnhof", "東京", "caf\u00e9", "emoji\U0001F600", "=SUM(A1)", "+1", "-2", "@x", "\tTab",
        "line\r\nbreak", "B", "a", "_", "back\\slash", "<script>", "",
    ];

    /// <summary>
    /// For every awkward store two terminals and two currencies, some refunds (one of a payment the gateway has no record
    /// of: store ''), every status, over two days; and 1,000 more terminals so the JSON runs over many 32 KB blocks.
    /// </summary>
    private static async Task SeedAsync(DayRecords records)
    {
        var payments = new List<DayRecords.PaymentRow>();
        var refunds = new List<DayRecords.RefundRow>();
        string[] statuses = ["SUCCESS", "SUCCESS", "CANCELLED", "FAIL", "PENDING", "PROCESSING"];
        long dayStart = DayRecords.Ms("2026-12-02T00:00:00+08:00");
        int n = 0;
        void Pay(string store, string device, string currency, int day)
        {
            n++;
            string status = statuses[n % statuses.Length];
            long at = dayStart + day * 86_400_000L + n * 1000L;
            payments.Add(new DayRecords.PaymentRow($"P{n}", $"A{n}", device, store, currency, 100 + n, status, at, at));
            if (n % 3 == 0) refunds.Add(new DayRecords.RefundRow($"R{n}", $"F{n}", $"A{n}", device, currency, 7 + n % 50, n % 6 == 0 ? "SUCCESS" : "PENDING", at + 500, at + 500));
        }
        foreach (int day in new[] { 0, 1 })
        {
            foreach (string store in AwkwardStores.Where(s => s.Length > 0))
                foreach (string device in new[] { "T1", "t0" })
                    foreach (string currency in new[] { "USD", "JPY" })
                    {
                        Pay(store, device, currency, day);
                        Pay(store, device, currency, day);
                    }
            for (int i = 0; i < 1000; i++) Pay($"BULK{i % 7:D2}", $"D{i:D4}", "USD", day);
        }
        long unknown = dayStart + 86_400_000L + 5000;
        refunds.Add(new DayRecords.RefundRow("RX", "FX", "NO-SUCH-PAYMENT", "T9", "USD", 99, "SUCCESS", unknown, unknown));
        await records.InsertAsync(payments, refunds);
    }

    private static readonly TotalsFilter[] Selections =
    [
        new(Day, Day), new(Day.AddDays(-1), Day), new(Day.AddDays(-1), Day, StoreId: "quote\"d"), new(Day, Day, DeviceId: "t0"), new(Day.AddDays(5), Day.AddDays(5)),
    ];

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_streamed_JSON_and_CSV_are_the_previous_answers_byte_for_byte(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, "Asia/Singapore");
        await SeedAsync(records);
        foreach (var filter in Selections)
        {
            var report = await records.Queries.TotalsAsync(filter);
            var export = records.Queries.Export(filter);
            Assert.Equal(PreviousExport.Json(report), await JsonAsync(export));
            Assert.Equal(PreviousExport.Csv(report), await CsvBytesAsync(export));
        }

        // The fixture is what it says: the awkward text is in the answers, escaped as before.
        var day = await records.Queries.TotalsAsync(new TotalsFilter(Day, Day));
        Assert.True(day.Lines.Count > 300);
        string csv = Encoding.UTF8.GetString(PreviousExport.Csv(day));
        Assert.Contains(",'=SUM(A1),", csv, StringComparison.Ordinal);
        Assert.Contains(",'\tTab,", csv, StringComparison.Ordinal);
        Assert.Contains(",\"quote\"\"d\",", csv, StringComparison.Ordinal);
        Assert.Contains(",\"a,b\",", csv, StringComparison.Ordinal);
        Assert.Contains(",\"line\r\nbreak\",", csv, StringComparison.Ordinal);
        Assert.Contains(",東京,", csv, StringComparison.Ordinal);
        Assert.Contains(",,T9,USD,", csv, StringComparison.Ordinal);
        string json = Encoding.UTF8.GetString(PreviousExport.Json(day));
        Assert.Contains("\"referenceStoreId\":\"quote\\\"d\"", json, StringComparison.Ordinal);
        Assert.Contains("\"referenceStoreId\":\"\\tTab\"", json, StringComparison.Ordinal);
        Assert.Contains("\"referenceStoreId\":\"東京\"", json, StringComparison.Ordinal);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_whole_day_leaves_in_blocks_of_about_32_KB_not_in_one_write(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, "Asia/Singapore");
        await SeedAsync(records);
        var export = records.Queries.Export(new TotalsFilter(Day.AddDays(-1), Day));
        foreach (bool csv in new[] { false, true })
        {
            var writes = new WriteSizes();
            var output = PipeWriter.Create(writes);
            if (csv) await export.WriteCsvAsync(output);
            else await export.WriteJsonAsync(output);
            await output.CompleteAsync();
            long total = writes.Sizes.Sum();
            Assert.True(total > 3 * DayTotalsExport.BlockBytes, $"{total} bytes: the fixture is too small to show blocks");
            Assert.True(writes.Sizes.Count >= total / (2 * DayTotalsExport.BlockBytes), $"{writes.Sizes.Count} writes for {total} bytes");
            Assert.All(writes.Sizes, size => Assert.True(size <= 2 * DayTotalsExport.BlockBytes, $"a write of {size} bytes"));
        }
    }

    internal static async Task<byte[]> JsonAsync(DayTotalsExport export) => await WriteAsync(export.WriteJsonAsync);

    internal static async Task<string> CsvAsync(DayTotalsExport export) => Encoding.UTF8.GetString(await CsvBytesAsync(export));

    private static async Task<byte[]> CsvBytesAsync(DayTotalsExport export) => await WriteAsync(export.WriteCsvAsync);

    private static async Task<byte[]> WriteAsync(Func<PipeWriter, CancellationToken, Task> write)
    {
        using var bytes = new MemoryStream();
        var output = PipeWriter.Create(bytes, new StreamPipeWriterOptions(leaveOpen: true));
        await write(output, CancellationToken.None);
        await output.CompleteAsync();
        return bytes.ToArray();
    }

    /// <summary>A stream that keeps only the size of every write it gets.</summary>
    private sealed class WriteSizes : Stream
    {
        public List<int> Sizes { get; } = [];
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Sizes.Add(count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Sizes.Add(buffer.Length);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// The answers as the gateway built them before they streamed (EndOfDayApi.TotalsJson and EndOfDayQueries.WriteCsv of
    /// commit 7b89980): the whole report in memory, its lines sorted ordinally, then one JsonObject or one string.
    /// </summary>
    private static class PreviousExport
    {
        private static List<DayTotalsLine> Sorted(DayTotalsReport report)
        {
            var lines = report.Lines.ToList();
            lines.Sort((a, b) =>
            {
                int c = a.Day.CompareTo(b.Day);
                if (c == 0) c = string.CompareOrdinal(a.StoreId, b.StoreId);
                if (c == 0) c = string.CompareOrdinal(a.DeviceId, b.DeviceId);
                return c != 0 ? c : string.CompareOrdinal(a.Currency, b.Currency);
            });
            return lines;
        }

        public static byte[] Json(DayTotalsReport report)
        {
            var lines = new JsonArray();
            foreach (var l in Sorted(report))
            {
                var line = new JsonObject { ["day"] = BusinessCalendar.Format(l.Day), ["referenceStoreId"] = l.StoreId, ["deviceId"] = l.DeviceId };
                AddFigures(line, l.Currency, l.Figures);
                lines.Add(line);
            }
            var totals = new JsonArray();
            foreach (var t in report.Totals)
            {
                var line = new JsonObject();
                AddFigures(line, t.Currency, t.Figures);
                totals.Add(line);
            }
            var json = new JsonObject
            {
                ["from"] = BusinessCalendar.Format(report.Filter.From), ["to"] = BusinessCalendar.Format(report.Filter.To), ["timeZone"] = report.TimeZone,
                ["referenceStoreId"] = report.Filter.StoreId, ["deviceId"] = report.Filter.DeviceId, ["lines"] = lines, ["totals"] = totals,
            };
            return Encoding.UTF8.GetBytes(AntomJson.Serialize(json));
        }

        private static void AddFigures(JsonObject o, string currency, DayFigures f)
        {
            o["currency"] = currency;
            o["salesCount"] = f.SalesCount;
            o["salesMinor"] = Minor(f.SalesMinor);
            o["voidsCount"] = f.VoidsCount;
            o["voidsMinor"] = Minor(f.VoidsMinor);
            o["refundsCount"] = f.RefundsCount;
            o["refundsMinor"] = Minor(f.RefundsMinor);
            o["netMinor"] = Minor(f.NetMinor);
            o["failedCount"] = f.FailedCount;
            o["openCount"] = f.OpenCount;
        }

        private static string Minor(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static byte[] Csv(DayTotalsReport report)
        {
            var text = new StringBuilder();
            text.Append(string.Join(',', DayTotalsExport.CsvColumns)).Append("\r\n");
            foreach (var l in Sorted(report))
            {
                var f = l.Figures;
                string[] cells =
                [
                    global::Terminal.Gateway.EndOfDay.Csv.Text(BusinessCalendar.Format(l.Day)), global::Terminal.Gateway.EndOfDay.Csv.Text(report.TimeZone), global::Terminal.Gateway.EndOfDay.Csv.Text(l.StoreId),
                    global::Terminal.Gateway.EndOfDay.Csv.Text(l.DeviceId), global::Terminal.Gateway.EndOfDay.Csv.Text(l.Currency), Minor(f.SalesCount), Minor(f.SalesMinor), Minor(f.VoidsCount),
                    Minor(f.VoidsMinor), Minor(f.RefundsCount), Minor(f.RefundsMinor), Minor(f.NetMinor), Minor(f.FailedCount), Minor(f.OpenCount),
                ];
                text.Append(string.Join(',', cells)).Append("\r\n");
            }
            return Encoding.UTF8.GetBytes(text.ToString());
        }
    }
}
