namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// <c>Gateway:CustomerPage</c>: the result page that order-code pays name as <c>paymentRedirectUrl</c>
/// (docs/customer-page.md). Every key is listed there.
/// </summary>
public sealed class CustomerPageOptions
{
    /// <summary>Set paymentRedirectUrl on order-code pays and serve the page. Off: pays carry no redirect URL and
    /// existing links answer as unknown.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a link works after the pay that created it: long enough to come back for a later refund,
    /// short enough that an old link shared by mistake stops telling anything.</summary>
    public int LinkLifetimeHours { get; set; } = 168;

    /// <summary>IANA time zone the page shows times in (the store's), e.g. <c>Asia/Singapore</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>While the payment is still open, the page reloads itself this often at first (slower later).</summary>
    public int RefreshSeconds { get; set; } = 5;

    /// <summary>Least time between two inquiryPayment calls the page makes for one payment (Antom's best practice
    /// polls 3 s apart), counted in the database across gateway instances.</summary>
    public int InquiryIntervalSeconds { get; set; } = 5;

    /// <summary>Most inquiryPayment calls the page makes for one payment; after that it shows what the records say
    /// (the terminal's own inquiries and Antom's notification keep them current). 0: the page never inquires.</summary>
    public int MaxInquiriesPerPayment { get; set; } = 30;

    /// <summary>Most page inquiries in flight at once in this process; a page that finds none free shows the records.</summary>
    public int MaxConcurrentInquiries { get; set; } = 4;

    /// <summary>How long a page waits for its inquiry before it answers from the records.</summary>
    public int InquiryTimeoutMs { get; set; } = 3000;

    /// <summary>Page requests per client address (IPv4, or IPv6 /64) per minute; more are answered 429.</summary>
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Unknown or expired tokens per client address within 10 minutes before every page request from it is
    /// answered 429 for the rest of those 10 minutes.</summary>
    public int MaxFailedLookups { get; set; } = 10;

    internal void Validate(List<string> errors)
    {
        const string key = "Gateway:CustomerPage:";
        if (LinkLifetimeHours is < 1 or > 2160) errors.Add(key + "LinkLifetimeHours must be between 1 and 2160 (90 days)");
        if (PageFormat.FindZone(TimeZone) == null) errors.Add($"{key}TimeZone '{TimeZone}' is not an IANA time zone id (e.g. Asia/Singapore)");
        if (RefreshSeconds is < 2 or > 60) errors.Add(key + "RefreshSeconds must be between 2 and 60");
        if (InquiryIntervalSeconds is < 3 or > 600) errors.Add(key + "InquiryIntervalSeconds must be between 3 and 600");
        if (MaxInquiriesPerPayment is < 0 or > 200) errors.Add(key + "MaxInquiriesPerPayment must be between 0 and 200");
        if (MaxConcurrentInquiries is < 1 or > 64) errors.Add(key + "MaxConcurrentInquiries must be between 1 and 64");
        if (InquiryTimeoutMs is < 500 or > 10_000) errors.Add(key + "InquiryTimeoutMs must be between 500 and 10000");
        if (RequestsPerMinute is < 1 or > 10_000) errors.Add(key + "RequestsPerMinute must be between 1 and 10000");
        if (MaxFailedLookups is < 1 or > 1000) errors.Add(key + "MaxFailedLookups must be between 1 and 1000");
    }
}
