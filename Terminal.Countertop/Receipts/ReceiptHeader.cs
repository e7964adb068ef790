namespace Terminal.Countertop.Receipts
{
    /// <summary>Who the receipt is from: the merchant's and store's names and the terminal (from the configuration).</summary>
    public sealed class ReceiptHeader
    {
        public ReceiptHeader(string merchantName, string storeName, string terminalId)
        {
            MerchantName = merchantName;
            StoreName = storeName;
            TerminalId = terminalId;
        }

        public string MerchantName { get; private set; }

        public string StoreName { get; private set; }

        public string TerminalId { get; private set; }
    }
}
