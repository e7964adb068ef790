namespace Terminal.Firmware.Screens
{
    /// <summary>The screen currently in the framebuffer.</summary>
    public enum ScreenKind
    {
        Blank = 0,
        Idle = 1,
        AmountEntry = 2,
        AmountConfirm = 3,
        Qr = 4,
        QrUnavailable = 5,
        ScanCustomer = 6,
        Processing = 7,
        Result = 8,
        RefundProgress = 9,
        RefundResult = 10,
        Error = 11,
        Diagnostics = 12,
    }
}
