using System.Diagnostics;

namespace Terminal.Tests.Fuzzing;

/// <summary>What a parser made of one input.</summary>
internal enum FuzzVerdict
{
    /// <summary>Parsed (or answered) as valid.</summary>
    Accepted,

    /// <summary>Refused with the parser's documented, clear error (its exception type, a false return, an error value).</summary>
    ClearError,
}

/// <summary>One parser that takes bytes from outside: seed inputs, tokens for the mutator, and the run that classifies an input.</summary>
/// <param name="Name">Short name for reports.</param>
/// <param name="Seeds">Valid and near-valid inputs the mutations start from.</param>
/// <param name="Tokens">Byte strings the mutator inserts (the format's keywords and troublemakers).</param>
/// <param name="Run">Classifies one input; any exception it lets out, or a <see cref="FuzzFailure"/>, is a crash.</param>
/// <param name="MaxLength">Longest input generated.</param>
internal sealed record FuzzTarget(string Name, byte[][] Seeds, byte[][] Tokens, Func<byte[], FuzzVerdict> Run, int MaxLength = 4096);

/// <summary>An answer that is neither accepted nor a clear error (a wrong answer, an HTTP 500, an unknown state).</summary>
internal sealed class FuzzFailure(string message) : Exception(message);

/// <summary>The figures of one run.</summary>
internal sealed record FuzzReport(string Target, long Inputs, long Accepted, long ClearErrors, IReadOnlyList<string> Crashes, long CrashCount,
    double MaxMilliseconds, TimeSpan Elapsed, int Seed)
{
    public double InputsPerSecond => Inputs / Math.Max(0.001, Elapsed.TotalSeconds);

    public override string ToString() =>
        $"{Target}: {Inputs:N0} inputs in {Elapsed.TotalSeconds:0.0} s ({InputsPerSecond:N0}/s), accepted {Accepted:N0}, clear errors {ClearErrors:N0}, " +
        $"crashes {CrashCount}, hangs 0, slowest input {MaxMilliseconds:0.0} ms, seed {Seed}";
}

/// <summary>
/// A mutation fuzzer with acceptance feedback: each input is a seed or an earlier accepted input with 1 to 16 stacked
/// mutations (bit flips, interesting bytes, inserted and deleted ranges, duplicated ranges, format tokens, splices,
/// truncation, long runs of one byte for deep nesting and long numbers). Inputs the parser accepts join the pool (up to
/// 512), so later mutations start from ever more varied valid inputs and reach deeper into the parser. Deterministic
/// for a seed. A watchdog ends the process (with the input on stderr) when one input runs longer than the hang limit:
/// a hang must not pass as a slow test.
/// </summary>
internal static class FuzzEngine
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x2A, 0x2C, 0x2D, 0x2E, 0x30, 0x39, 0x3A, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7E, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF];
    private static readonly byte[] Runs = [(byte)'[', (byte)'{', (byte)'9', (byte)' ', (byte)'"', (byte)'\\', (byte)'a', 0x80, (byte)'0', 0x7E];

    public static FuzzReport Run(FuzzTarget target, long inputs, int seed, TimeSpan hangLimit)
    {
        var random = new Random(seed);
        var pool = new List<byte[]>(target.Seeds);
        int seedCount = pool.Count;
        var crashes = new List<string>();
        long accepted = 0, clear = 0, crashCount = 0;
        double maxMs = 0;
        long started = 0;
        byte[] current = [];
        using var watchdog = new Timer(_ =>
        {
            long at = Volatile.Read(ref started);
            if (at != 0 && Stopwatch.GetElapsedTime(at) > hangLimit)
            {
                Console.Error.WriteLine($"fuzz hang in {target.Name} (seed {seed}): input {Convert.ToBase64String(Volatile.Read(ref current))}");
                Environment.FailFast($"fuzz target {target.Name} ran one input longer than {hangLimit.TotalSeconds} s");
            }
        }, null, 250, 250);

        var elapsed = Stopwatch.StartNew();
        for (long i = 0; i < inputs; i++)
        {
            byte[] input = i < seedCount ? target.Seeds[i] : Mutate(random, pool, target.Tokens, target.MaxLength);
            Volatile.Write(ref current, input);
            long t0 = Stopwatch.GetTimestamp();
            Volatile.Write(ref started, t0);
            FuzzVerdict verdict;
            try
            {
                verdict = target.Run(input);
            }
            catch (Exception e)
            {
                Volatile.Write(ref started, 0);
                crashCount++;
                // One sample of each kind of crash (up to 5), with the input to reproduce it.
                if (crashes.Count < 5 && !crashes.Any(c => c.StartsWith(e.GetType().Name + ":", StringComparison.Ordinal)))
                    crashes.Add($"{e.GetType().Name}: {e.Message} | input {Convert.ToBase64String(input)}");
                continue;
            }
            Volatile.Write(ref started, 0);
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (ms > maxMs) maxMs = ms;
            if (verdict == FuzzVerdict.Accepted)
            {
                accepted++;
                if (random.Next(8) == 0)
                {
                    if (pool.Count < 512) pool.Add(input);
                    else pool[seedCount + random.Next(pool.Count - seedCount)] = input;
                }
            }
            else clear++;
        }
        return new FuzzReport(target.Name, inputs, accepted, clear, crashes, crashCount, maxMs, elapsed.Elapsed, seed);
    }

    private static byte[] Mutate(Random random, List<byte[]> pool, byte[][] tokens, int maxLength)
    {
        var data = new List<byte>(pool[random.Next(pool.Count)]);
        int steps = random.Next(8) == 0 ? 1 + random.Next(16) : 1 + random.Next(3);
        for (int s = 0; s < steps; s++)
        {
            int at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(12))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 2 when data.Count > 0:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 3:
                    for (int k = random.Next(1, 9); k > 0; k--) data.Insert(at, (byte)random.Next(256));
                    break;
                case 4 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                    break;
                case 5 when data.Count > 0:
                    int length = Math.Min(data.Count - at, 1 + random.Next(32));
                    data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                    break;
                case 6:
                case 7:
                    data.InsertRange(at, tokens[random.Next(tokens.Length)]);
                    break;
                case 8 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(8)));
                    data.InsertRange(at, tokens[random.Next(tokens.Length)]);
                    break;
                case 9:
                    byte[] other = pool[random.Next(pool.Count)];
                    if (other.Length > 0)
                    {
                        int from = random.Next(other.Length);
                        data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + random.Next(64))).ToArray());
                    }
                    break;
                case 10 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 11:
                    data.InsertRange(at, Enumerable.Repeat(Runs[random.Next(Runs.Length)], 1 + random.Next(random.Next(2) == 0 ? 8 : 300)));
                    break;
            }
        }
        if (data.Count > maxLength) data.RemoveRange(maxLength, data.Count - maxLength);
        return data.ToArray();
    }
}
