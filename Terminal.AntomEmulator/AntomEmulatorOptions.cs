using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Terminal.AntomEmulator;

/// <summary>How the emulator writes the <c>Response-Time</c> header and the notification <c>Request-Time</c>.</summary>
public enum TimeHeaderFormat
{
    /// <summary>ISO 8601 with offset, e.g. <c>2019-05-28T12:12:14+08:00</c> (Antom's documented example style).</summary>
    Iso8601,
    /// <summary>Epoch milliseconds, e.g. <c>1685599933871</c>.</summary>
    EpochMilliseconds,
}

/// <summary>
/// Settings for <see cref="AntomEmulatorServer.StartAsync"/>. Every property has a working default: a bare
/// <c>new AntomEmulatorOptions()</c> gives an HTTPS emulator on a free loopback port with state in memory.
/// </summary>
public sealed class AntomEmulatorOptions
{
    /// <summary>
    /// Listening URLs, <c>https://</c> or <c>http://</c>, host an IP address or <c>localhost</c> (= 127.0.0.1),
    /// port 0 = a free port. Default: <c>https://127.0.0.1:0</c>. Several entries give several endpoints
    /// (e.g. one HTTPS and one plain HTTP).
    /// </summary>
    public IList<string> Urls { get; set; } = new List<string> { "https://127.0.0.1:0" };

    /// <summary>Extra DNS names for the generated server certificate (always has localhost, 127.0.0.1, ::1).</summary>
    public IList<string> ServerCertificateHostNames { get; set; } = new List<string>();

    /// <summary>A CA (with private key) to issue the server certificate from instead of generating one.</summary>
    public X509Certificate2? CertificateAuthority { get; set; }

    /// <summary>Antom's response/notification signing key (RSA 2048). Default: generated, or loaded from <see cref="SqlitePath"/>.</summary>
    public RSA? AntomSigningKey { get; set; }

    /// <summary>Key version written in the emulator's <c>Signature</c> headers. Default 1.</summary>
    public int AntomKeyVersion { get; set; } = 1;

    /// <summary>Inner time source of <see cref="AntomEmulatorServer.Clock"/>. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed for everything random: fault probabilities, generated codes, customer ids. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>SQLite file that keeps clients, keys, payments, refunds and issued codes across restarts; null = memory only.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>How long after creation a payment can be cancelled (CANCEL_WINDOW_EXCEED after). Default 24 h.</summary>
    public TimeSpan CancelWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long after a payment succeeded it can be refunded (REFUND_WINDOW_EXCEED after). Default 365 days.</summary>
    public TimeSpan RefundWindow { get; set; } = TimeSpan.FromDays(365);

    /// <summary>OrderCode/EntryCode lifetime when the request has no <c>paymentExpiryTime</c>. Default 15 min.</summary>
    public TimeSpan OrderCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a PaymentCode payment waits for the customer's confirmation when the request has no
    /// <c>paymentExpiryTime</c>. Default 3 min (the contract default Antom gives for codes; docs/antom-protocol.md section 3.1).</summary>
    public TimeSpan PaymentCodeConfirmationTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Validity of a code from <see cref="EmulatorWallet.IssuePaymentCode"/> (EXPIRED_CODE after). Default 60 s.</summary>
    public TimeSpan PaymentCodeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Outcome for a well-formed payment code the wallet never issued (e.g. the SDK sample 288888888888888888).</summary>
    public PaymentCodeOutcome UnissuedPaymentCodeOutcome { get; set; } = PaymentCodeOutcome.Success;

    /// <summary>False: a second refund of one payment fails with MULTIPLE_REFUNDS_NOT_SUPPORTED. Default true.</summary>
    public bool AllowMultipleRefunds { get; set; } = true;

    /// <summary>IDR values must end in 00 (Antom rounds IDR to whole hundreds). Default true.</summary>
    public bool EnforceIdrRounding { get; set; } = true;

    /// <summary>Currency of the simulated customer's wallet (<c>actualPaymentAmount</c>, <c>paymentQuote</c>). Default CNY.</summary>
    public string WalletCurrency { get; set; } = "CNY";

    /// <summary><c>pspCustomerInfo.pspName</c>. Default ALIPAYCN.</summary>
    public string PspName { get; set; } = "ALIPAYCN";

    /// <summary>Settlement currency (<c>grossSettlementAmount</c>, <c>settlementQuote</c>); null = the payment currency.</summary>
    public string? SettlementCurrency { get; set; }

    /// <summary>Base of order-code URLs: codes look like <c>{base}/281...</c>. Default <c>https://qr.emulator.local</c>.</summary>
    public string OrderCodeBaseUrl { get; set; } = "https://qr.emulator.local";

    /// <summary>Offset used when writing times in bodies (<c>paymentTime</c> ...). Default UTC (+00:00).</summary>
    public TimeSpan TimeZoneOffset { get; set; } = TimeSpan.Zero;

    /// <summary>Format of <c>Response-Time</c> and of the notification <c>Request-Time</c>. Default ISO 8601.</summary>
    public TimeHeaderFormat TimeHeaderFormat { get; set; } = TimeHeaderFormat.Iso8601;

    /// <summary>If set, a Request-Time further than this from the emulator clock is PARAM_ILLEGAL. Default null (no check: Antom documents none).</summary>
    public TimeSpan? MaxRequestTimeSkew { get; set; }

    /// <summary>Waits between notification attempts; after the last one the emulator gives up.
    /// Default 1, 2, 4, 8, 16, 32, 64, 128, 256 s (10 attempts).</summary>
    public IList<TimeSpan> NotifyRetryDelays { get; set; } =
        new List<TimeSpan>(Enumerable.Range(0, 9).Select(i => TimeSpan.FromSeconds(1 << i)));

    /// <summary>Timeout of one notification attempt. Default 10 s.</summary>
    public TimeSpan NotifyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Also notify failed payments (declines, expiry), not only successful ones. Default true.</summary>
    public bool NotifyFailures { get; set; } = true;

    /// <summary>TLS check for https notify URLs; null = the system trust store.</summary>
    public RemoteCertificateValidationCallback? NotifyServerCertificateValidation { get; set; }

    /// <summary>Serve the test-only control API under <c>/__emulator/</c>. Default true.</summary>
    public bool EnableControlApi { get; set; } = true;

    /// <summary>Write ASP.NET Core logs to the console (the standalone server turns this on). Default false.</summary>
    public bool ConsoleLogging { get; set; }
}
