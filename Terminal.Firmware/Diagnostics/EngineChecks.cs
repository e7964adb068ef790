using Terminal.Core.Checksums;
using Terminal.Core.Ports;
using Terminal.Core.Text;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// Known-answer checks of the payment engine: the HS256 signature with the derived request key (expected values
    /// computed with .NET's HKDF and HMACSHA256, verified by a unit test), response verification with the answer key
    /// (and refusal of a response signed with the request key), request-id format, result-table entries, CRC-32, ISO
    /// time and the journal's torn-write detection.
    /// </summary>
    public static class EngineChecks
    {
        private const string Path = "/ams/api/v1/payments/pay";
        private const string RequestBody = "{\"paymentRequestId\":\"T000100000000004212345678\"}";
        private const string ResponseBody = "{\"result\":{\"resultStatus\":\"S\"}}";

        /// <summary>Signature header of RequestBody, device key 00..1F, Client-Id T0001, Request-Time 1700000000000
        /// (request key of the Antom relay derived from it).</summary>
        internal const string ExpectedRequestSignature =
            "algorithm=HS256,keyVersion=1,signature=ie5DEedB0ndaiwIEUAZFPmqCl6%2B8yBPtkt3I270F7YE%3D";

        /// <summary>Gateway signature of ResponseBody with Response-Time 1700000000250 (answer key, same device key and client).</summary>
        internal const string ExpectedResponseSignature =
            "algorithm=HS256,keyVersion=1,signature=Pk%2Bs7pX3pL5PkcUIjxfiBkoQqsghE60%2BtIKi%2BK4KF%2FM%3D";

        /// <summary>The same response signed with the request key, as a reflected terminal MAC would be: refused.</summary>
        internal const string RequestKeyResponseSignature =
            "algorithm=HS256,keyVersion=1,signature=65yrwT029%2Fjd49QnUBjmP3ew0cRoy45ongk02GY%2Bup8%3D";

        public static void Run(SelfTestReport report)
        {
            report.Run("engine HS256 request signature", SignatureMatches);
            report.Run("engine HS256 response verification", ResponseVerifies);
            report.Run("engine request id format", RequestIdIsWellFormed);
            report.Run("engine result table", ResultTableAnswers);
            report.Run("engine CRC-32", CrcMatches);
            report.Run("engine ISO 8601 time", IsoTimeMatches);
            report.Run("engine journal torn write", JournalSurvivesTornWrite);
        }

        private static byte[] Key()
        {
            byte[] key = new byte[32];
            for (int i = 0; i < key.Length; i++)
            {
                key[i] = (byte)i;
            }

            return key;
        }

        private static HttpExchange SignedExchange(Hs256Signer signer)
        {
            HttpExchange exchange = new HttpExchange(128, 128, Hs256Signer.ReservedBytes);
            int n = AsciiText.Write(RequestBody, exchange.RequestBuffer, exchange.RequestBodyOffset);
            exchange.RequestBodyLength = n;
            signer.Sign(exchange, Path, 1700000000000L);
            return exchange;
        }

        private static bool SignatureMatches()
        {
            HttpExchange exchange = SignedExchange(new Hs256Signer(new PortableMac(Key()), "T0001", 1));
            return AsciiText.Matches(exchange.Signature, exchange.SignatureLength, ExpectedRequestSignature);
        }

        private static bool ResponseVerifies()
        {
            Hs256Signer signer = new Hs256Signer(new PortableMac(Key()), "T0001", 1);
            HttpExchange exchange = SignedExchange(signer);
            exchange.ResponseBodyLength = AsciiText.Write(ResponseBody, exchange.ResponseBuffer, exchange.ResponseBodyOffset);
            exchange.ResponseTimeLength = AsciiText.Write("1700000000250", exchange.ResponseTime, 0);
            exchange.ResponseSignatureLength = AsciiText.Write(ExpectedResponseSignature, exchange.ResponseSignature, 0);
            bool good = signer.Verify(exchange);
            exchange.ResponseSignatureLength = AsciiText.Write(RequestKeyResponseSignature, exchange.ResponseSignature, 0);
            bool otherDirection = signer.Verify(exchange);
            exchange.ResponseSignatureLength = AsciiText.Write(ExpectedResponseSignature, exchange.ResponseSignature, 0);
            exchange.ResponseBuffer[exchange.ResponseBodyOffset + 2] ^= 1;
            bool tampered = signer.Verify(exchange);
            return good && !otherDirection && !tampered;
        }

        private static bool RequestIdIsWellFormed()
        {
            TextField id = new TextField(64);
            new RequestIdGenerator(new CountingRandom()).Create("T0001", 42, id);
            return id.EqualsAscii("T000100000000004201234567") && RequestIdGenerator.IsValid(id);
        }

        private static bool ResultTableAnswers()
        {
            return ResultTable.ActionAt(ResultTable.Find("SUCCESS")) == ResultAction.FinalSuccess
                && ResultTable.ActionAt(ResultTable.Find("INVALID_PAYMENT_CODE")) == ResultAction.NeedsNewId
                && ResultTable.ActionAt(ResultTable.Find("PAYMENT_IN_PROCESS")) == ResultAction.Poll
                && ResultTable.ActionAt(ResultTable.Find("UNKNOWN_EXCEPTION")) == ResultAction.RetrySameId
                && ResultTable.ActionAt(ResultTable.Find("REQUEST_TRAFFIC_EXCEED_LIMIT")) == ResultAction.BackOff
                && ResultTable.ActionAt(ResultTable.Find("INVALID_SIGNATURE")) == ResultAction.ConfigurationError
                && ResultTable.Find("NOT_A_CODE") < 0
                && ResultTable.Classify((byte)'F', ResultTable.Find("ORDER_NOT_EXIST"), AntomApi.InquiryPayment) == ResultAction.Poll
                && ResultTable.Classify((byte)'S', ResultTable.Find("PROCESS_FAIL"), AntomApi.Pay) == ResultAction.Unknown;
        }

        private static bool CrcMatches()
        {
            byte[] data = new byte[9];
            AsciiText.Write("123456789", data, 0);
            return Crc32.Compute(data, 0, 9) == 0xCBF43926;
        }

        private static bool IsoTimeMatches()
        {
            byte[] text = new byte[IsoTime.FormattedLength];
            IsoTime.FormatUtc(1591853702000L, text, 0);
            long parsed;
            byte[] local = new byte[25];
            AsciiText.Write("2020-06-11T13:35:02+08:00", local, 0);
            return AsciiText.Matches(text, text.Length, "2020-06-11T05:35:02+00:00")
                && IsoTime.TryParse(local, 0, local.Length, out parsed) && parsed == 1591853702000L;
        }

        private static bool JournalSurvivesTornWrite()
        {
            RamStorage storage = new RamStorage();
            JournalStore store = new JournalStore(storage);
            byte[] buffer = new byte[64];
            buffer[JournalStore.PayloadOffset] = 1;
            store.Commit(buffer, 1);
            buffer[JournalStore.PayloadOffset] = 2;
            store.Commit(buffer, 1);
            storage.TearLastWrite();
            JournalStore reloaded = new JournalStore(storage);
            return reloaded.Load(buffer) == 1 && buffer[JournalStore.PayloadOffset] == 1 && reloaded.Sequence == 1;
        }

        /// <summary>"Entropy" 0, 1, 2, ...: makes the request id predictable for the check.</summary>
        private sealed class CountingRandom : IRandom
        {
            public void NextBytes(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    buffer[offset + i] = (byte)i;
                }
            }
        }
    }
}
