using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.EndOfDay;

/// <summary>
/// Every line of a selection's totals (docs/reconciliation.md, "Day totals"), written as JSON (the admin API's answer)
/// or CSV (the export of the API, the console and `day totals --csv`) while one ordered statement per day is read:
/// lines go out in blocks of about <see cref="BlockBytes"/>, each flushed before more is read, and the totals per
/// currency, which follow the lines, are summed on the way. A whole fleet's day (10,000 lines, 2.4 MB of JSON) is never
/// held in memory, and the first block leaves before the last row is read.
/// </summary>
public sealed class DayTotalsExport
{
    /// <summary>What is written before it is flushed to the output (and, over HTTP, sent as a chunk).</summary>
    public const int BlockBytes = 32 * 1024;

    /// <summary>The columns of the CSV export, in this order; a new column is only ever added at the end.</summary>
    public static readonly string[] CsvColumns =
    [
        "day", "time_zone", "store_id", "device_id", "currency", "sales_count", "sales_minor", "voids_count", "voids_minor",
        "refunds_count", "refunds_minor", "net_minor", "failed_count", "open_count",
    ];

    private static readonly byte[] CsvHeader = Encoding.UTF8.GetBytes(string.Join(',', CsvColumns) + "\r\n");

    private readonly EndOfDayStore _records;
    private readonly BusinessCalendar _calendar;

    /// <exception cref="ArgumentException">The filter is not usable (<see cref="TotalsFilter.Problem"/>).</exception>
    public DayTotalsExport(EndOfDayStore records, BusinessCalendar calendar, TotalsFilter filter)
    {
        if (filter.Problem() is { } problem) throw new ArgumentException(problem);
        _records = records;
        _calendar = calendar;
        Filter = filter;
    }

    public TotalsFilter Filter { get; }

    /// <summary>The file name a download of this selection gets: day-totals_from_to.csv (or .json).</summary>
    public string FileName(string extension) => $"day-totals_{BusinessCalendar.Format(Filter.From)}_{BusinessCalendar.Format(Filter.To)}.{extension}";

    /// <summary>The admin API's JSON (<see cref="DayTotalsJson"/>): the selection, every line, the totals per currency.</summary>
    public async Task WriteJsonAsync(PipeWriter output, CancellationToken ct = default)
    {
        var totals = new SortedDictionary<string, DayFigures>(StringComparer.Ordinal);
        long flushed = 0;
        await using var json = new Utf8JsonWriter(output, DayTotalsJson.Options);
        DayTotalsJson.StartLines(json, Filter, _calendar.Zone.Id);
        for (var day = Filter.From; day <= Filter.To; day = day.AddDays(1))
        {
            string dayText = BusinessCalendar.Format(day);
            var (start, end) = _calendar.Bounds(day);
            await foreach (var line in _records.FiguresAsync(start, end, Filter.StoreId, Filter.DeviceId, ct).ConfigureAwait(false))
            {
                DayTotalsJson.Line(json, dayText, line.Store, line.Device, line.Currency, line.Figures);
                totals[line.Currency] = totals.TryGetValue(line.Currency, out var sum) ? sum.Plus(line.Figures) : line.Figures;
                long written = json.BytesCommitted + json.BytesPending;
                if (written - flushed < BlockBytes) continue;
                json.Flush();
                await output.FlushAsync(ct).ConfigureAwait(false);
                flushed = written;
            }
        }
        DayTotalsJson.EndLines(json, totals.Select(t => new CurrencyTotals(t.Key, t.Value)));
        json.WriteEndObject();
        json.Flush();
        await output.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The RFC 4180 CSV (UTF-8, CRLF, <see cref="Csv.Text"/> for every text cell): a header, then one record per line.
    /// Amounts are integers in minor units with the currency beside them, so no spreadsheet rounds or re-formats money.
    /// </summary>
    public async Task WriteCsvAsync(PipeWriter output, CancellationToken ct = default)
    {
        var csv = new CsvOutput(output);
        csv.Raw(CsvHeader);
        string zone = Csv.Text(_calendar.Zone.Id);
        for (var day = Filter.From; day <= Filter.To; day = day.AddDays(1))
        {
            string dayText = Csv.Text(BusinessCalendar.Format(day));
            var (start, end) = _calendar.Bounds(day);
            await foreach (var line in _records.FiguresAsync(start, end, Filter.StoreId, Filter.DeviceId, ct).ConfigureAwait(false))
            {
                var f = line.Figures;
                csv.Text(dayText, ","u8);
                csv.Text(zone, ","u8);
                csv.Text(Csv.Text(line.Store), ","u8);
                csv.Text(Csv.Text(line.Device), ","u8);
                csv.Text(Csv.Text(line.Currency), ","u8);
                csv.Number(f.SalesCount, ","u8);
                csv.Number(f.SalesMinor, ","u8);
                csv.Number(f.VoidsCount, ","u8);
                csv.Number(f.VoidsMinor, ","u8);
                csv.Number(f.RefundsCount, ","u8);
                csv.Number(f.RefundsMinor, ","u8);
                csv.Number(f.NetMinor, ","u8);
                csv.Number(f.FailedCount, ","u8);
                csv.Number(f.OpenCount, "\r\n"u8);
                if (csv.Unflushed >= BlockBytes) await csv.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        await csv.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>UTF-8 cells straight into the output's buffer, and how much is written since the last flush.</summary>
    private sealed class CsvOutput(PipeWriter output)
    {
        public long Unflushed { get; private set; }

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            output.Write(bytes);
            Unflushed += bytes.Length;
        }

        /// <summary>A cell already made by <see cref="Csv.Text"/>, then <paramref name="after"/> (the comma or CRLF).</summary>
        public void Text(string cell, ReadOnlySpan<byte> after)
        {
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(cell.Length) + after.Length);
            int length = Encoding.UTF8.GetBytes(cell, span);
            after.CopyTo(span[length..]);
            Advance(length + after.Length);
        }

        public void Number(long value, ReadOnlySpan<byte> after)
        {
            var span = output.GetSpan(20 + after.Length);
            value.TryFormat(span, out int length, default, CultureInfo.InvariantCulture);
            after.CopyTo(span[length..]);
            Advance(length + after.Length);
        }

        public async ValueTask FlushAsync(CancellationToken ct)
        {
            await output.FlushAsync(ct).ConfigureAwait(false);
            Unflushed = 0;
        }

        private void Advance(int length)
        {
            output.Advance(length);
            Unflushed += length;
        }
    }
}
