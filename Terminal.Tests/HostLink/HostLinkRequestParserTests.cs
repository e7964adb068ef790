using Terminal.Firmware.HostLink;
using Xunit;

namespace Terminal.Tests.HostLink;

public class HostLinkRequestParserTests
{
    private static (HostLinkError Error, HostLinkRequest Request, string? Text) Parse(string line)
    {
        var parser = new HostLinkRequestParser();
        var request = new HostLinkRequest();
        byte[] bytes = Wire.Bytes(line);
        var error = parser.Parse(bytes, bytes.Length, request);
        return (error, request, parser.ErrorText);
    }

    private static (HostLinkError Error, HostLinkRequest Request, string? Text) ParseBody(string body) =>
        Parse(Wire.Line(body).TrimEnd('\r', '\n'));

    [Fact]
    public void A_sale_line_gives_every_field()
    {
        var (error, request, text) = ParseBody("12 SALE 1250 USD CPM A-1001");
        Assert.Equal(HostLinkError.None, error);
        Assert.Null(text);
        Assert.Equal(12, request.Id);
        Assert.Equal(HostLinkCommand.Sale, request.Command);
        Assert.Equal(1250, request.AmountMinor);
        Assert.Equal("USD", request.Currency);
        Assert.Equal(HostLinkSaleMode.Cpm, request.Mode);
        Assert.Equal("A-1001", request.Reference);
        Assert.Null(request.PaymentId);
    }

    [Theory]
    [InlineData("1 PING", HostLinkCommand.Ping)]
    [InlineData("2 ABORT", HostLinkCommand.Abort)]
    [InlineData("3 STATUS", HostLinkCommand.Status)]
    [InlineData("4 LAST", HostLinkCommand.Last)]
    [InlineData("5 DIAG", HostLinkCommand.Diag)]
    [InlineData("6 SELFTEST", HostLinkCommand.SelfTest)]
    [InlineData("999999999 SALE 999999999999 JPY MPM x", HostLinkCommand.Sale)]
    [InlineData("7 REFUND REF A-1001 500", HostLinkCommand.Refund)]
    [InlineData("8 REFUND PAYMENT 20240101123456789 1", HostLinkCommand.Refund)]
    [InlineData("9 VOID REF A_1.2-3", HostLinkCommand.Void)]
    [InlineData("10 VOID PAYMENT 2024", HostLinkCommand.Void)]
    public void Valid_lines(string body, HostLinkCommand command)
    {
        var (error, request, _) = ParseBody(body);
        Assert.Equal(HostLinkError.None, error);
        Assert.Equal(command, request.Command);
        Assert.Equal(int.Parse(body.Split(' ')[0]), request.Id);
    }

    [Fact]
    public void Refund_and_void_name_their_target_by_reference_or_payment_id()
    {
        var byRef = ParseBody("7 REFUND REF A-1001 500").Request;
        Assert.Equal(("A-1001", (string?)null, 500L), (byRef.Reference, byRef.PaymentId, byRef.AmountMinor));
        var byPayment = ParseBody("8 VOID PAYMENT 2024X").Request;
        Assert.Equal(((string?)null, "2024X"), (byPayment.Reference, byPayment.PaymentId));
    }

    [Fact]
    public void A_lower_case_checksum_is_accepted()
    {
        Assert.Equal(HostLinkError.None, Parse("12 SALE 1250 USD CPM A-1001*f6").Error);
    }

    [Theory]
    // Nothing in these lines is trusted: answered with id 0.
    [InlineData("1 PING*F8", HostLinkError.Checksum)]
    [InlineData("1 PING", HostLinkError.Checksum)]
    [InlineData("1 PING*F", HostLinkError.Checksum)]
    [InlineData("1 PING*F7F", HostLinkError.Checksum)]
    [InlineData("1 PING*G7", HostLinkError.Checksum)]
    [InlineData("1 PI\u0001NG*F7", HostLinkError.BadByte)]
    [InlineData("1 PING\u00e9*F7", HostLinkError.BadByte)]
    public void Untrusted_lines(string line, HostLinkError expected)
    {
        var (error, request, text) = Parse(line);
        Assert.Equal(expected, error);
        Assert.Equal(0, request.Id);
        Assert.Equal(HostLinkCommand.None, request.Command);
        Assert.False(string.IsNullOrEmpty(text));
    }

    [Theory]
    [InlineData("0 PING")]
    [InlineData("01 PING")]
    [InlineData("1000000000 PING")]
    [InlineData("-1 PING")]
    [InlineData("x PING")]
    [InlineData(" 1 PING")]
    [InlineData("1  PING")]
    [InlineData("1 PING ")]
    [InlineData("")]
    public void Bad_ids_and_spacing_are_syntax_errors_with_id_0(string body)
    {
        var (error, request, _) = ParseBody(body);
        Assert.Equal(HostLinkError.Syntax, error);
        Assert.Equal(0, request.Id);
    }

    [Fact]
    public void A_missing_command_keeps_the_id()
    {
        var (error, request, _) = ParseBody("5");
        Assert.Equal(HostLinkError.Syntax, error);
        Assert.Equal(5, request.Id);
    }

    [Theory]
    [InlineData("5 ping")]
    [InlineData("5 PONG")]
    [InlineData("5 SALES 1 USD MPM x")]
    public void Unknown_commands_keep_the_id(string body)
    {
        var (error, request, _) = ParseBody(body);
        Assert.Equal(HostLinkError.Unknown, error);
        Assert.Equal(5, request.Id);
    }

    [Theory]
    [InlineData("5 PING now", "no arguments")]
    [InlineData("5 SALE 1250 USD CPM", "SALE needs")]
    [InlineData("5 SALE 1250 USD CPM A B", "too many")]
    [InlineData("5 SALE 0 USD CPM A", "amount")]
    [InlineData("5 SALE 01250 USD CPM A", "amount")]
    [InlineData("5 SALE 12.50 USD CPM A", "amount")]
    [InlineData("5 SALE -1 USD CPM A", "amount")]
    [InlineData("5 SALE 1000000000000 USD CPM A", "amount")]
    [InlineData("5 SALE 1250 usd CPM A", "currency")]
    [InlineData("5 SALE 1250 US CPM A", "currency")]
    [InlineData("5 SALE 1250 USD QR A", "mode")]
    [InlineData("5 SALE 1250 USD cpm A", "mode")]
    [InlineData("5 SALE 1250 USD CPM A/B", "reference")]
    [InlineData("5 REFUND A-1001 500", "REFUND needs")]
    [InlineData("5 REFUND ID A-1001 500", "REF <reference>")]
    [InlineData("5 REFUND REF A-1001 0", "amount")]
    [InlineData("5 VOID REF", "VOID needs")]
    [InlineData("5 VOID PAYMENT a:b", "payment id")]
    public void Argument_errors_keep_the_id_and_name_the_argument(string body, string mention)
    {
        var (error, request, text) = ParseBody(body);
        Assert.Equal(HostLinkError.Args, error);
        Assert.Equal(5, request.Id);
        Assert.Contains(mention, text);
    }

    [Fact]
    public void A_reference_of_64_characters_is_the_longest()
    {
        Assert.Equal(HostLinkError.None, ParseBody("5 SALE 1 USD MPM " + new string('r', 64)).Error);
        Assert.Equal(HostLinkError.Args, ParseBody("5 SALE 1 USD MPM " + new string('r', 65)).Error);
    }

    [Fact]
    public void A_star_inside_the_body_is_covered_by_the_checksum_of_the_last_star()
    {
        // The checksum covers everything before the LAST '*'; a '*' earlier is just a byte (here in the command).
        Assert.Equal(HostLinkError.Unknown, ParseBody("5 PI*NG").Error);
    }

    [Fact]
    public void Rejected_lines_allocate_nothing()
    {
        var parser = new HostLinkRequestParser();
        var request = new HostLinkRequest();
        byte[][] lines = { Wire.Bytes("1 PING*00"), Wire.Bytes("1 P\u0001NG*F7"), Wire.Bytes(Wire.Line("1 SALE 0 USD CPM A").TrimEnd()), Wire.Bytes(Wire.Line("7 NOPE").TrimEnd()) };
        foreach (var line in lines)
        {
            parser.Parse(line, line.Length, request);
        }

        int accepted = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            for (int j = 0; j < lines.Length; j++)
            {
                if (parser.Parse(lines[j], lines[j].Length, request) == HostLinkError.None)
                {
                    accepted++;
                }
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, accepted);
        Assert.Equal(0, allocated);
    }
}
