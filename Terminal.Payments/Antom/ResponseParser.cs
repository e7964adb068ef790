using Terminal.Core.Json;
using Terminal.Core.Text;

namespace Terminal.Payments.Antom
{
    /// <summary>
    /// Reads the fields of <see cref="AntomResponse"/> out of a response body with the pull reader and skips
    /// everything else (quotes, settlement data, ...). Allocates nothing on well-formed input.
    /// </summary>
    public sealed class ResponseParser
    {
        private readonly JsonReader _reader;
        private readonly TextField _scratch = new TextField(32);
        private bool _codeIsQr;

        /// <param name="maxStringLength">Longest string accepted in a body (the response buffer size).</param>
        public ResponseParser(int maxStringLength)
        {
            _reader = new JsonReader(16, maxStringLength);
        }

        /// <summary>
        /// Parses the body into <paramref name="into"/> (cleared first). Returns false when the body is not a
        /// well-formed JSON object or an id does not fit its field; the response then counts as unknown.
        /// </summary>
        public bool Parse(byte[] buffer, int offset, int count, AntomResponse into)
        {
            into.Clear();
            _codeIsQr = false;
            JsonReader r = _reader;
            try
            {
                r.Reset(buffer, offset, count);
                if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (r.Read())
                {
                    if (r.TokenType == JsonTokenType.EndObject && r.CurrentDepth == 0)
                    {
                        // Only whitespace may follow; Read() throws otherwise.
                        while (r.Read())
                        {
                        }

                        into.ResultCodeIndex = ResultTable.Find(into.ResultCode);
                        return true;
                    }

                    if (!ReadTopLevel(r, into))
                    {
                        return false;
                    }
                }

                return false;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>Handles one top-level property; the reader is on its name.</summary>
        private bool ReadTopLevel(JsonReader r, AntomResponse into)
        {
            if (r.ValueEquals("result"))
            {
                return ReadObject(r, into, 1);
            }

            if (r.ValueEquals("paymentAmount") || r.ValueEquals("refundAmount"))
            {
                return ReadObject(r, into, 2);
            }

            if (r.ValueEquals("orderCodeForm"))
            {
                return ReadObject(r, into, 3);
            }

            if (r.ValueEquals("pspCustomerInfo"))
            {
                return ReadObject(r, into, 4);
            }

            if (r.ValueEquals("paymentId"))
            {
                return ReadText(r, into.PaymentId);
            }

            if (r.ValueEquals("paymentRequestId"))
            {
                return ReadText(r, into.PaymentRequestId);
            }

            if (r.ValueEquals("paymentResultCode"))
            {
                return ReadText(r, into.PaymentResultCode);
            }

            if (r.ValueEquals("refundId"))
            {
                return ReadText(r, into.RefundId);
            }

            if (r.ValueEquals("refundRequestId"))
            {
                return ReadText(r, into.RefundRequestId);
            }

            if (r.ValueEquals("paymentStatus"))
            {
                into.PaymentStatus = ReadStatus(r);
                return true;
            }

            if (r.ValueEquals("refundStatus"))
            {
                into.RefundStatus = ReadStatus(r);
                return true;
            }

            r.Skip();
            return true;
        }

        /// <summary>Reads an object value: kind 1 = result, 2 = amount, 3 = orderCodeForm, 4 = pspCustomerInfo. Non-objects are skipped.</summary>
        private bool ReadObject(JsonReader r, AntomResponse into, int kind)
        {
            r.Read();
            if (r.TokenType != JsonTokenType.StartObject)
            {
                r.Skip();
                return true;
            }

            int depth = r.CurrentDepth;
            while (r.Read())
            {
                if (r.TokenType == JsonTokenType.EndObject && r.CurrentDepth == depth)
                {
                    return true;
                }

                bool ok;
                if (kind == 1)
                {
                    ok = ReadResultMember(r, into);
                }
                else if (kind == 2)
                {
                    ok = ReadAmountMember(r, into);
                }
                else if (kind == 4)
                {
                    ok = ReadCustomerInfoMember(r, into);
                }
                else
                {
                    ok = ReadOrderCodeFormMember(r, into);
                }

                if (!ok)
                {
                    return false;
                }
            }

            return false;
        }

        private bool ReadResultMember(JsonReader r, AntomResponse into)
        {
            if (r.ValueEquals("resultCode"))
            {
                return ReadText(r, into.ResultCode);
            }

            if (r.ValueEquals("resultStatus"))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.String)
                {
                    if (r.ValueEquals("S"))
                    {
                        into.ResultStatus = (byte)'S';
                    }
                    else if (r.ValueEquals("F"))
                    {
                        into.ResultStatus = (byte)'F';
                    }
                    else if (r.ValueEquals("U"))
                    {
                        into.ResultStatus = (byte)'U';
                    }
                }
                else
                {
                    r.Skip();
                }

                return true;
            }

            if (r.ValueEquals("resultMessage"))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.String)
                {
                    CopyTruncated(r, into.ResultMessage);
                }
                else
                {
                    r.Skip();
                }

                return true;
            }

            r.Skip();
            return true;
        }

        /// <summary>pspCustomerInfo: only the wallet's name (a name too long for the field is left out).</summary>
        private static bool ReadCustomerInfoMember(JsonReader r, AntomResponse into)
        {
            if (!r.ValueEquals("pspName"))
            {
                r.Skip();
                return true;
            }

            r.Read();
            if (r.TokenType == JsonTokenType.String)
            {
                CopyTruncated(r, into.WalletName);
            }
            else
            {
                r.Skip();
            }

            return true;
        }

        private bool ReadAmountMember(JsonReader r, AntomResponse into)
        {
            if (r.ValueEquals("value"))
            {
                r.Read();
                long value;
                if (r.TokenType == JsonTokenType.String && r.TryGetInt64FromString(out value))
                {
                    into.AmountValue = value;
                    into.HasAmount = true;
                    return true;
                }

                return false;
            }

            if (r.ValueEquals("currency"))
            {
                return ReadText(r, into.AmountCurrency);
            }

            r.Skip();
            return true;
        }

        private bool ReadOrderCodeFormMember(JsonReader r, AntomResponse into)
        {
            if (r.ValueEquals("expireTime"))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.String && CopyTruncated(r, _scratch))
                {
                    into.HasExpireTime = IsoTime.TryParse(_scratch.Bytes, 0, _scratch.Length, out into.ExpireEpochMs);
                }
                else
                {
                    r.Skip();
                }

                return true;
            }

            if (!r.ValueEquals("codeDetails"))
            {
                r.Skip();
                return true;
            }

            r.Read();
            if (r.TokenType != JsonTokenType.StartArray)
            {
                r.Skip();
                return true;
            }

            int depth = r.CurrentDepth;
            while (r.Read())
            {
                if (r.TokenType == JsonTokenType.EndArray && r.CurrentDepth == depth)
                {
                    return true;
                }

                if (r.TokenType == JsonTokenType.StartObject)
                {
                    ReadCodeDetail(r, into);
                }
                else
                {
                    r.Skip();
                }
            }

            return false;
        }

        /// <summary>
        /// One codeDetails element (docs/antom-protocol.md 3.2: up to 4; types QRCODE or BARCODE). The first codeValue is kept;
        /// a later one replaces it only when its QRCODE type is known before its value and the kept one is not
        /// known to be a QRCODE.
        /// </summary>
        private void ReadCodeDetail(JsonReader r, AntomResponse into)
        {
            int depth = r.CurrentDepth;
            bool isQr = false;
            bool took = false;
            while (r.Read())
            {
                if (r.TokenType == JsonTokenType.EndObject && r.CurrentDepth == depth)
                {
                    break;
                }

                if (r.ValueEquals("codeValueType"))
                {
                    r.Read();
                    isQr = r.TokenType == JsonTokenType.String && r.ValueEquals("QRCODE");
                    r.Skip();
                }
                else if (r.ValueEquals("codeValue"))
                {
                    r.Read();
                    bool first = into.CodeValue.IsEmpty && !into.CodeValueTooLong;
                    if (r.TokenType == JsonTokenType.String && (first || (isQr && !_codeIsQr)))
                    {
                        CopyCodeValue(r, into);
                        took = true;
                    }
                    else
                    {
                        r.Skip();
                    }
                }
                else
                {
                    r.Skip();
                }
            }

            if (took && isQr)
            {
                _codeIsQr = true;
            }
        }

        private void CopyCodeValue(JsonReader r, AntomResponse into)
        {
            try
            {
                int n = r.CopyString(into.CodeValue.Bytes, 0, into.CodeValue.Capacity);
                into.CodeValue.SetLength(n);
                into.CodeValueTooLong = false;
            }
            catch (JsonException)
            {
                into.CodeValue.Clear();
                into.CodeValueTooLong = true;
            }
        }

        /// <summary>Copies a string value (null leaves the field empty); false when it is too long or not a string.</summary>
        private static bool ReadText(JsonReader r, TextField field)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.Null)
            {
                field.Clear();
                return true;
            }

            if (r.TokenType != JsonTokenType.String)
            {
                r.Skip();
                return false;
            }

            try
            {
                field.SetLength(r.CopyString(field.Bytes, 0, field.Capacity));
                return true;
            }
            catch (JsonException)
            {
                field.Clear();
                return false;
            }
        }

        /// <summary>Copies a string value when it fits; returns false (field empty) when it does not.</summary>
        private static bool CopyTruncated(JsonReader r, TextField field)
        {
            try
            {
                field.SetLength(r.CopyString(field.Bytes, 0, field.Capacity));
                return true;
            }
            catch (JsonException)
            {
                field.Clear();
                return false;
            }
        }

        private RemoteStatus ReadStatus(JsonReader r)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.Null)
            {
                return RemoteStatus.None;
            }

            if (r.TokenType != JsonTokenType.String)
            {
                r.Skip();
                return RemoteStatus.Unrecognized;
            }

            if (!CopyTruncated(r, _scratch))
            {
                return RemoteStatus.Unrecognized;
            }

            if (EqualsIgnoreCase(_scratch, "SUCCESS"))
            {
                return RemoteStatus.Success;
            }

            if (EqualsIgnoreCase(_scratch, "FAIL"))
            {
                return RemoteStatus.Fail;
            }

            if (EqualsIgnoreCase(_scratch, "PROCESSING"))
            {
                return RemoteStatus.Processing;
            }

            if (EqualsIgnoreCase(_scratch, "CANCELLED"))
            {
                return RemoteStatus.Cancelled;
            }

            if (EqualsIgnoreCase(_scratch, "PENDING"))
            {
                return RemoteStatus.Pending;
            }

            return RemoteStatus.Unrecognized;
        }

        /// <summary>ASCII case-insensitive comparison with an upper-case constant.</summary>
        private static bool EqualsIgnoreCase(TextField field, string upper)
        {
            if (field.Length != upper.Length)
            {
                return false;
            }

            for (int i = 0; i < upper.Length; i++)
            {
                int c = field.Bytes[i];
                if (c >= 'a' && c <= 'z')
                {
                    c -= 32;
                }

                if (c != upper[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
