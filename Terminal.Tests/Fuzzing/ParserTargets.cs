using System.Text;
using Terminal.Core.Config;
using Terminal.Core.Json;
using Terminal.Drivers.Scanner;
using Terminal.Firmware.Config;
using Terminal.Firmware.HostLink;
using Terminal.Payments.Antom;

namespace Terminal.Tests.Fuzzing;

/// <summary>
/// The terminal's parsers of outside bytes, through their public entry points, each with the clear error its contract
/// names: the portable JSON reader (JsonException), the engine's response parser (false), the configuration file
/// (ConfigException from <c>TerminalConfigParser.Parse</c>, whatever sections it is split into), the host link (line
/// assembler and request parser: error values), the scanner's code framer and the GM65 reply parser (outcome values).
/// </summary>
internal static class ParserTargets
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    public static readonly byte[][] JsonTokens =
    [
        B("{"), B("}"), B("["), B("]"), B("\""), B(":"), B(","), B("true"), B("false"), B("null"), B("-0"), B("1e999"), B("0.5E-3"),
        B("12345678901234567890"), B("\\u"), B("\\ud800"), B("\\udc00"), B("\\ud83d\\ude00"), B("\\\""), B("\\\\"), B("\\n"), B("\\x"),
        B("\"paymentRequestId\""), B("\"result\""), B("\"resultStatus\""), B("\"S\""), B("\"paymentStatus\""), B("\"SUCCESS\""),
        [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xFF], [0xEF, 0xBB, 0xBF], B("/*"), B("\t\r\n "),
    ];

    public static readonly byte[][] AntomJson =
    [
        B("{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"},\"paymentRequestId\":\"T000100000000004212345678\"," +
          "\"paymentId\":\"20260101000000000001\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1250\"},\"paymentTime\":\"2026-01-01T10:00:05+08:00\"}"),
        B("{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"},\"paymentStatus\":\"PROCESSING\"," +
          "\"paymentRequestId\":\"T000100000000004212345678\",\"paymentId\":\"2026\",\"orderCodeForm\":{\"expireTime\":\"2026-01-01T10:15:00+00:00\"," +
          "\"codeDetails\":[{\"codeValue\":\"https://qr.example/abc\",\"codeValueType\":\"QRCODE\",\"displayType\":\"TEXT\"}]}}"),
        B("{\"result\":{\"resultCode\":\"USER_BALANCE_NOT_ENOUGH\",\"resultStatus\":\"F\",\"resultMessage\":\"caf\u00e9 \\u00e9 \\ud83d\\ude00\"}}"),
        B("{\"refundRequestId\":\"R1\",\"refundId\":\"R2\",\"refundAmount\":{\"currency\":\"JPY\",\"value\":\"500\"},\"refundStatus\":\"SUCCESS\",\"quotePrice\":1.25,\"ok\":true,\"n\":null}"),
        B("[1,-2.5e3,\"x\",[],{}]"), B("\"text\""), B("0"),
    ];

    public static FuzzTarget ForJsonReader()
    {
        var reader = new Core.Json.JsonReader(64, 4096);
        var copy = new byte[4096];
        return new("portable JSON reader", AntomJson, JsonTokens, input =>
        {
            try
            {
                reader.Reset(input, 0, input.Length);
                int tokens = 0;
                while (reader.Read())
                {
                    if (++tokens > 1_000_000) throw new FuzzFailure("the reader does not advance");
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                        case JsonTokenType.PropertyName:
                            reader.GetString();
                            reader.CopyString(copy, 0, copy.Length);
                            reader.ValueEquals("paymentRequestId");
                            break;
                        case JsonTokenType.Number:
                            reader.TryGetInt64(out _);
                            break;
                        case JsonTokenType.True:
                        case JsonTokenType.False:
                            reader.GetBoolean();
                            break;
                        case JsonTokenType.StartObject when (tokens & 7) == 3:
                            reader.Skip();
                            break;
                    }
                }
                return FuzzVerdict.Accepted;
            }
            catch (JsonException)
            {
                return FuzzVerdict.ClearError;
            }
        });
    }

    public static FuzzTarget ForResponseParser()
    {
        var parser = new Payments.Antom.ResponseParser(4096);
        var into = new AntomResponse(new TerminalConfig().Engine.CodeValueBytes);
        return new("engine response parser", AntomJson, JsonTokens, input =>
            parser.Parse(input, 0, input.Length, into) ? FuzzVerdict.Accepted : FuzzVerdict.ClearError);
    }

    public static FuzzTarget ForConfigParser()
    {
        byte[][] seeds =
        [
            B("{\"deviceId\":\"T0001\",\"keyVersion\":1,\"key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\",\"gatewayUrl\":\"https://gw.example.com:8443\"," +
              "\"caCertificate\":\"I:\\\\gateway-ca.pem\",\"wifiSsid\":\"shop-wifi\",\"wifiPassword\":\"secret pass\",\"displayName\":\"Counter 1\",\"currency\":\"USD\"," +
              "\"board\":\"wroom\",\"display\":\"ssd1306\",\"i2cSda\":21,\"i2cScl\":22,\"scannerTx\":17,\"scannerRx\":16,\"hostLinkTx\":4,\"hostLinkRx\":5," +
              "\"pollIntervalMs\":2000,\"cpmBudgetMs\":60000,\"cancelScheduleMs\":[1000,2000],\"somethingNew\":{\"x\":[1,2]}}"),
            B("{\"deviceId\":\"T0001\",\"keyVersion\":\"7\",\"key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\",\"gatewayUrl\":\"https://gw\",\"currency\":\"JPY\"}"),
        ];
        byte[][] tokens = [.. JsonTokens, B("\"deviceId\""), B("\"key\""), B("\"i2cSda\""), B("\"currency\""), B("\"board\""), B("\"wrover\""), B("6"), B("-1"), B("99999999999")];
        return new("configuration parser", seeds, tokens, input =>
        {
            try
            {
                TerminalConfigParser.Parse(input, 0, input.Length);
                return FuzzVerdict.Accepted;
            }
            catch (ConfigException)
            {
                return FuzzVerdict.ClearError;
            }
        });
    }

    public static FuzzTarget ForHostLink()
    {
        var assembler = new LineAssembler();
        var parser = new HostLinkRequestParser();
        var request = new HostLinkRequest();
        byte[][] seeds =
        [
            .. new[] { "7 SALE 1250 USD MPM R-1", "8 SALE 320 EUR CPM R2", "9 ABORT", "10 REFUND REF R-1 500", "11 VOID REF R-1", "12 STATUS", "13 LAST", "14 SELFTEST", "15 DIAG" }
                .Select(l => B(global::Terminal.Tests.HostLink.Wire.Line(l))),
            B(global::Terminal.Tests.HostLink.Wire.Line("1 STATUS") + global::Terminal.Tests.HostLink.Wire.Line("2 SALE 100 USD CPM A") + "garbage\r\n"),
        ];
        byte[][] tokens = [B(" "), B("*"), B("\r\n"), B("\n"), B("SALE"), B("ABORT"), B("REFUND"), B("REF"), B("VOID"), B("USD"), B("MPM"), B("CPM"), B("*00"), B("999999999999999"), [0x00], [0xFF], [0x7F]];
        return new("host link", seeds, tokens, input =>
        {
            assembler.Reset();
            bool any = false, bad = false;
            foreach (byte b in input)
            {
                switch (assembler.Feed(b))
                {
                    case LineResult.Line:
                        if (parser.Parse(assembler.Buffer, assembler.Length, request) == HostLinkError.None) any = true;
                        else if (parser.ErrorText == null) throw new FuzzFailure("an error without its text");
                        else bad = true;
                        break;
                    case LineResult.TooLong:
                        bad = true;
                        break;
                }
            }
            return any && !bad ? FuzzVerdict.Accepted : FuzzVerdict.ClearError;
        });
    }

    public static FuzzTarget ForCodeFramer()
    {
        var framer = new Drivers.Scanner.CodeFramer(new ScannerSettings());
        byte[][] seeds = [B("281012345678901234\r\n"), B("https://qr.alipay.com/abc\r"), B("281012345678901234\t"), [0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31], B("28101234")];
        byte[][] tokens = [B("\r"), B("\n"), B("\t"), [0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31], [0x7E, 0x00], B("28"), B("2810123456789012345678901234567890")];
        return new("scanner code framer", seeds, tokens, input =>
        {
            framer.Reset();
            framer.SuffixRequired = input.Length > 0 && (input[0] & 1) == 1;
            long now = 1_000;
            bool code = false;
            foreach (byte b in input)
            {
                now += b % 7 == 0 ? 150 : 1; // some gaps longer than the idle gap
                if (framer.Feed(b, now) == ScanOutcome.Code) code = CheckCode(framer);
            }
            if (framer.Flush(now + 1_000) == ScanOutcome.Code) code = CheckCode(framer);
            return code ? FuzzVerdict.Accepted : FuzzVerdict.ClearError;
        });
    }

    private static bool CheckCode(Drivers.Scanner.CodeFramer framer)
    {
        if (framer.CodeLength < 1 || framer.CodeLength > 256 || framer.CodeToString().Length != framer.CodeLength) throw new FuzzFailure("a code outside its limits");
        return true;
    }

    public static FuzzTarget ForGm65Replies()
    {
        var parser = new Gm65ReplyParser(8);
        byte[][] seeds = [[0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31], [0x02, 0x00, 0x00, 0x02, 0x3E, 0x10, 0xAB, 0xCD], [0x02, 0x00, 0x01, 0x00, 0x00, 0x00]];
        byte[][] tokens = [[0x02], [0x00], [0x01], [0x7E, 0x00], [0xFF, 0xFF], [0x33, 0x31]];
        return new("GM65 reply parser", seeds, tokens, input =>
        {
            parser.Reset();
            bool reply = false;
            foreach (byte b in input)
            {
                var result = parser.Feed(b);
                if (!Enum.IsDefined(result)) throw new FuzzFailure("an undefined result " + result);
                if (result == Gm65ReplyResult.Reply)
                {
                    reply = true;
                    if (parser.DataLength is < 0 or > 8) throw new FuzzFailure("data length outside the parser's limit");
                }
            }
            return reply ? FuzzVerdict.Accepted : FuzzVerdict.ClearError;
        });
    }
}
