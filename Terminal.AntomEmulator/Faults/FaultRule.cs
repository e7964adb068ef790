namespace Terminal.AntomEmulator;

/// <summary>The kinds of trouble the emulator can inject into Antom API answers.</summary>
public enum FaultKind
{
    /// <summary>The request takes effect, the answer comes <see cref="FaultRule.Delay"/> late (a client timeout leaves the result unknown).</summary>
    Latency,
    /// <summary>HTTP <see cref="FaultRule.HttpStatus"/> (500/502/503 ...) with a plain-text, unsigned body; processed only if <see cref="FaultRule.AfterProcessing"/>.</summary>
    HttpError,
    /// <summary>HTTP 429 with a signed <c>U/REQUEST_TRAFFIC_EXCEED_LIMIT</c> body; not processed.</summary>
    TooManyRequests,
    /// <summary>The connection is aborted in the middle of the response body; processed unless <see cref="FaultRule.AfterProcessing"/> is false
    /// (then aborted before anything is done).</summary>
    ConnectionReset,
    /// <summary>A complete HTTP answer whose JSON body is cut in half (the signature covers the whole body, so it does not verify); processed.</summary>
    TruncatedBody,
    /// <summary>HTTP 200 with a signed <c>U/UNKNOWN_EXCEPTION</c> body; not processed.</summary>
    UnknownException,
    /// <summary>The normal answer with a signature that does not verify; processed.</summary>
    WrongSignature,
    /// <summary>The normal, correctly signed answer whose Response-Time is off by <see cref="FaultRule.ResponseTimeSkew"/>; processed.</summary>
    SkewedResponseTime,
}

/// <summary>
/// One fault-injection rule: which requests (<see cref="ClientId"/>, <see cref="Api"/>), how many
/// (<see cref="Count"/>), how likely (<see cref="Probability"/>, drawn from a generator seeded by the emulator seed
/// and the rule id, so runs repeat) and what happens. Build one with a factory and adjust it with <c>with</c>:
/// <code>emulator.Faults.Add(FaultRule.HttpError(503) with { ClientId = "C1", Api = AntomApi.Pay, Count = 2 });</code>
/// </summary>
public sealed record FaultRule
{
    /// <summary>What happens.</summary>
    public FaultKind Kind { get; init; }

    /// <summary>Only requests with this Client-Id; null = every client.</summary>
    public string? ClientId { get; init; }

    /// <summary>Only this endpoint; null = every endpoint.</summary>
    public AntomApi? Api { get; init; }

    /// <summary>Applies to the next N matching requests, then the rule is removed; null = until removed.</summary>
    public int? Count { get; init; }

    /// <summary>Chance that a matching request is hit (0 &lt; p &lt;= 1). Default 1.</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>For <see cref="FaultKind.Latency"/>: the extra delay.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>For <see cref="FaultKind.HttpError"/>: the status code (400-599). Default 500.</summary>
    public int HttpStatus { get; init; } = 500;

    /// <summary>For <see cref="FaultKind.HttpError"/> and <see cref="FaultKind.ConnectionReset"/>: whether the request takes effect first.</summary>
    public bool AfterProcessing { get; init; }

    /// <summary>For <see cref="FaultKind.SkewedResponseTime"/>: added to the real Response-Time (may be negative).</summary>
    public TimeSpan ResponseTimeSkew { get; init; }

    /// <summary>Answers <paramref name="delay"/> late.</summary>
    public static FaultRule Latency(TimeSpan delay) => new() { Kind = FaultKind.Latency, Delay = delay };

    /// <summary>HTTP <paramref name="status"/>; by default the request is not processed.</summary>
    public static FaultRule HttpError(int status, bool afterProcessing = false) =>
        new() { Kind = FaultKind.HttpError, HttpStatus = status, AfterProcessing = afterProcessing };

    /// <summary>HTTP 429 with REQUEST_TRAFFIC_EXCEED_LIMIT.</summary>
    public static FaultRule TooManyRequests() => new() { Kind = FaultKind.TooManyRequests };

    /// <summary>Aborts the connection mid-response; by default after the request took effect.</summary>
    public static FaultRule ConnectionReset(bool afterProcessing = true) =>
        new() { Kind = FaultKind.ConnectionReset, AfterProcessing = afterProcessing };

    /// <summary>Cuts the response body in half.</summary>
    public static FaultRule TruncatedBody() => new() { Kind = FaultKind.TruncatedBody };

    /// <summary>U/UNKNOWN_EXCEPTION without processing.</summary>
    public static FaultRule UnknownException() => new() { Kind = FaultKind.UnknownException };

    /// <summary>A response signature that does not verify.</summary>
    public static FaultRule WrongSignature() => new() { Kind = FaultKind.WrongSignature };

    /// <summary>A Response-Time off by <paramref name="skew"/>.</summary>
    public static FaultRule SkewedResponseTime(TimeSpan skew) => new() { Kind = FaultKind.SkewedResponseTime, ResponseTimeSkew = skew };

    internal void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"unknown fault kind {Kind}");
        }

        if (Count is int count && count <= 0)
        {
            throw new ArgumentException("Count must be positive (or null for unlimited)");
        }

        if (!(Probability > 0 && Probability <= 1))
        {
            throw new ArgumentException("Probability must be in (0, 1]");
        }

        if (Kind == FaultKind.HttpError && (HttpStatus < 400 || HttpStatus > 599))
        {
            throw new ArgumentException("HttpStatus must be 400-599");
        }

        if (Delay < TimeSpan.Zero)
        {
            throw new ArgumentException("Delay must not be negative");
        }
    }
}

/// <summary>A rule in force: its id (for <see cref="EmulatorFaults.Remove"/>), the rule, and how many hits are left.</summary>
/// <param name="Id">Rule id.</param>
/// <param name="Rule">The rule as added.</param>
/// <param name="Remaining">Hits left; null = unlimited.</param>
public sealed record ActiveFault(long Id, FaultRule Rule, int? Remaining);

/// <summary>A fault that hit a request.</summary>
/// <param name="RuleId">The rule that fired.</param>
/// <param name="Kind">What happened.</param>
/// <param name="ClientId">The request's Client-Id.</param>
/// <param name="Api">The endpoint.</param>
/// <param name="Time">When (emulator clock).</param>
public sealed record AppliedFault(long RuleId, FaultKind Kind, string ClientId, AntomApi Api, DateTimeOffset Time);
