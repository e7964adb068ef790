namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// The page's words in one language. English and Simplified Chinese to start; a language joins as one more instance
/// and one line in <see cref="For"/>. Texts with {0} take the refresh interval in seconds or an amount.
/// </summary>
public sealed class PageText
{
    public required string HtmlLang { get; init; }
    public required string Title { get; init; }
    public required string Processing { get; init; }
    public required string ProcessingLead { get; init; }
    public required string Paid { get; init; }
    public required string PaidLead { get; init; }
    public required string NotPaid { get; init; }
    public required string NotPaidLead { get; init; }
    public required string ExpiredLead { get; init; }
    public required string Cancelled { get; init; }
    public required string CancelledLead { get; init; }
    public required string Reversed { get; init; }
    public required string ReversedLead { get; init; }
    public required string RefundPending { get; init; }
    public required string RefundPendingLead { get; init; }
    public required string PartlyRefunded { get; init; }
    public required string PartlyRefundedLead { get; init; }
    public required string Refunded { get; init; }
    public required string RefundedLead { get; init; }
    public required string Details { get; init; }
    public required string Store { get; init; }
    public required string Amount { get; init; }
    public required string RefundedAmount { get; init; }
    public required string Time { get; init; }
    public required string Reference { get; init; }
    public required string RefreshNote { get; init; }
    public required string RefreshNow { get; init; }
    public required string Help { get; init; }
    public required string Invalid { get; init; }
    public required string InvalidLead { get; init; }
    public required string TooMany { get; init; }
    public required string TooManyLead { get; init; }
    public required string[] Months { get; init; }
    public required string DateFormat { get; init; }

    public static readonly PageText English = new()
    {
        HtmlLang = "en",
        Title = "Payment result",
        Processing = "Not paid yet",
        ProcessingLead = "We are waiting for the result from your wallet. Do not pay again.",
        Paid = "Paid",
        PaidLead = "Your payment is complete. Thank you.",
        NotPaid = "Not paid",
        NotPaidLead = "The payment did not go through. No money was taken from your wallet.",
        ExpiredLead = "The order expired before it was paid. No money was taken from your wallet.",
        Cancelled = "Cancelled",
        CancelledLead = "The store cancelled this payment. If money was taken from your wallet, it is returned.",
        Reversed = "Payment reversed",
        ReversedLead = "The store reversed this payment. The money is returned to your wallet.",
        RefundPending = "Refund in progress",
        RefundPendingLead = "The store is refunding this payment. Your wallet shows the money when the refund is complete.",
        PartlyRefunded = "Partly refunded",
        PartlyRefundedLead = "Part of this payment was returned to your wallet.",
        Refunded = "Refunded",
        RefundedLead = "The whole payment was returned to your wallet.",
        Details = "Payment details",
        Store = "Store",
        Amount = "Amount",
        RefundedAmount = "Refunded",
        Time = "Time",
        Reference = "Payment reference",
        RefreshNote = "This page updates by itself every {0} seconds.",
        RefreshNow = "Update now",
        Help = "Questions? Ask the store's staff and give them the payment reference.",
        Invalid = "Link not valid",
        InvalidLead = "This link is not valid or has expired. Your wallet's own records show your payments.",
        TooMany = "Please wait",
        TooManyLead = "This page was opened too often. Try again in a minute.",
        Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        DateFormat = "{2} {1} {0}, {3}",
    };

    public static readonly PageText SimplifiedChinese = new()
    {
        HtmlLang = "zh-Hans",
        Title = "支付结果",
        Processing = "尚未支付",
        ProcessingLead = "正在等待您的钱包返回结果。请勿重复付款。",
        Paid = "支付成功",
        PaidLead = "您已完成付款，谢谢。",
        NotPaid = "未支付",
        NotPaidLead = "付款未成功，您的钱包未被扣款。",
        ExpiredLead = "订单在付款前已过期，您的钱包未被扣款。",
        Cancelled = "已取消",
        CancelledLead = "商家已取消此笔付款。如已扣款，款项将退回您的钱包。",
        Reversed = "付款已撤销",
        ReversedLead = "商家已撤销此笔付款，款项将退回您的钱包。",
        RefundPending = "退款处理中",
        RefundPendingLead = "商家正在为此笔付款退款，退款完成后款项将回到您的钱包。",
        PartlyRefunded = "部分退款",
        PartlyRefundedLead = "此笔付款的部分金额已退回您的钱包。",
        Refunded = "已退款",
        RefundedLead = "此笔付款已全额退回您的钱包。",
        Details = "付款详情",
        Store = "商家",
        Amount = "金额",
        RefundedAmount = "已退款",
        Time = "时间",
        Reference = "付款编号",
        RefreshNote = "本页面每 {0} 秒自动更新。",
        RefreshNow = "立即更新",
        Help = "如有疑问，请向店员出示付款编号。",
        Invalid = "链接无效",
        InvalidLead = "此链接无效或已过期。您可在钱包中查看付款记录。",
        TooMany = "请稍候",
        TooManyLead = "访问过于频繁，请一分钟后再试。",
        Months = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
        DateFormat = "{0}年{1}月{2}日 {3}",
    };

    /// <summary>
    /// The language for an Accept-Language header (RFC 9110 section 12.5.4): the supported language with the highest
    /// weight, any Chinese tag (zh, zh-CN, zh-Hans, zh-TW ...) being served in Simplified Chinese, the only Chinese so
    /// far; English when nothing matches.
    /// </summary>
    public static PageText For(string? acceptLanguage)
    {
        PageText best = English;
        double bestWeight = 0;
        foreach (string part in (acceptLanguage ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] pieces = part.Split(';', StringSplitOptions.TrimEntries);
            double weight = 1;
            foreach (string parameter in pieces.Skip(1))
            {
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase) &&
                    !double.TryParse(parameter[2..], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out weight))
                    weight = 0;
            }
            string primary = pieces[0].Split('-')[0];
            PageText? text = primary.Equals("zh", StringComparison.OrdinalIgnoreCase) ? SimplifiedChinese
                : primary.Equals("en", StringComparison.OrdinalIgnoreCase) ? English : null;
            if (text != null && weight > bestWeight)
            {
                best = text;
                bestWeight = weight;
            }
        }
        return best;
    }
}
