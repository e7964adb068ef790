using Xunit;
using Terminal.Drivers.Qr;
using Terminal.Firmware.Diagnostics;

namespace Terminal.Tests.Qr;

public class QrChecksTests
{
    [Fact]
    public void Self_test_qr_checks_all_pass()
    {
        var lines = new List<string>();
        var report = new SelfTestReport(lines.Add);
        QrChecks.Run(report);
        Assert.True(report.Failed == 0, string.Join("\n", lines));
        Assert.Equal(4, report.Passed);
    }

    [Fact]
    public void The_recorded_symbol_is_the_one_ZXing_reads_as_the_Annex_I_payload()
    {
        QrCode code = new QrEncoder(1).Encode("01234567"u8.ToArray(), 0, 8, QrErrorCorrection.Medium, 1, 1, 5, false);
        Assert.Equal("01234567"u8.ToArray(), QrTestSupport.DecodeBytes(code, 3));
        Assert.Equal(5, QrTestSupport.ReadFormat(QrTestSupport.Snapshot(code)).Mask);
        uint hash = QrChecks.Hash(code);
        Assert.NotEqual(hash, QrChecks.Hash(new QrEncoder(1).Encode("01234567"u8.ToArray(), 0, 8, QrErrorCorrection.Medium, 1, 1, 4, false)));
    }
}
