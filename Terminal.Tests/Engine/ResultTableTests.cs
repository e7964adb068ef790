using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

public sealed class ResultTableTests
{
    /// <summary>Every code named in docs/antom-protocol.md section 4 (and the refund codes of 3.5) with its expected action.</summary>
    public static TheoryData<string, ResultAction> SectionFourCodes => new()
    {
        { "SUCCESS", ResultAction.FinalSuccess },
        { "PAYMENT_IN_PROCESS", ResultAction.Poll },
        { "UNKNOWN_EXCEPTION", ResultAction.RetrySameId },
        { "REQUEST_TRAFFIC_EXCEED_LIMIT", ResultAction.BackOff },
        { "INVALID_PAYMENT_CODE", ResultAction.NeedsNewId },
        { "EXPIRED_CODE", ResultAction.NeedsNewId },
        { "USER_BALANCE_NOT_ENOUGH", ResultAction.FinalFail },
        { "USER_NOT_EXIST", ResultAction.FinalFail },
        { "NO_PAY_OPTION", ResultAction.FinalFail },
        { "NO_PAY_OPTIONS", ResultAction.FinalFail },
        { "PAYMENT_NOT_EXIST", ResultAction.FinalFail },
        { "ORDER_NOT_EXIST", ResultAction.FinalFail },
        { "ORDER_IS_CLOSED", ResultAction.NeedsNewId },
        { "ORDER_IS_CANCELED", ResultAction.NeedsNewId },
        { "REPEAT_REQ_INCONSISTENT", ResultAction.FinalFail },
        { "PARAM_ILLEGAL", ResultAction.ConfigurationError },
        { "USER_KYC_NOT_QUALIFIED", ResultAction.FinalFail },
        { "RISK_REJECT", ResultAction.FinalFail },
        { "FRAUD_REJECT", ResultAction.FinalFail },
        { "CURRENCY_NOT_SUPPORT", ResultAction.ConfigurationError },
        { "ACCESS_DENIED", ResultAction.ConfigurationError },
        { "USER_STATUS_ABNORMAL", ResultAction.FinalFail },
        { "USER_PAYMENT_VERIFICATION_FAILED", ResultAction.FinalFail },
        { "PAYMENT_AMOUNT_EXCEED_LIMIT", ResultAction.FinalFail },
        { "PAYMENT_COUNT_EXCEED_LIMIT", ResultAction.FinalFail },
        { "USER_AMOUNT_EXCEED_LIMIT", ResultAction.FinalFail },
        { "SETTLE_CONTRACT_NOT_MATCH", ResultAction.ConfigurationError },
        { "INVALID_CONTRACT", ResultAction.ConfigurationError },
        { "INVALID_MERCHANT_STATUS", ResultAction.ConfigurationError },
        { "MERCHANT_NOT_REGISTERED", ResultAction.ConfigurationError },
        { "MERCHANT_KYB_NOT_QUALIFIED", ResultAction.ConfigurationError },
        { "PROCESS_FAIL", ResultAction.FinalFail },
        { "INVALID_SIGNATURE", ResultAction.ConfigurationError },
        { "KEY_NOT_FOUND", ResultAction.ConfigurationError },
        { "NO_INTERFACE_DEF", ResultAction.ConfigurationError },
        { "MEDIA_TYPE_NOT_ACCEPTABLE", ResultAction.ConfigurationError },
        { "METHOD_NOT_SUPPORTED", ResultAction.ConfigurationError },
        { "CLIENT_INVALID", ResultAction.ConfigurationError },
        { "INVALID_CLIENT_STATUS", ResultAction.ConfigurationError },
        { "UNKNOWN_CLIENT", ResultAction.ConfigurationError },
        { "CLIENT_FORBIDDEN_ACCESS_API", ResultAction.ConfigurationError },
        { "INVALID_CLIENT", ResultAction.ConfigurationError },
        { "USER_PAYING", ResultAction.Poll },
        { "CANCEL_WINDOW_EXCEED", ResultAction.FinalFail },
        { "ORDER_STATUS_INVALID", ResultAction.FinalFail },
        { "REFUND_AMOUNT_EXCEED", ResultAction.FinalFail },
        { "REFUND_WINDOW_EXCEED", ResultAction.FinalFail },
        { "MULTIPLE_REFUNDS_NOT_SUPPORTED", ResultAction.FinalFail },
        { "REFUND_IN_PROCESS", ResultAction.Poll },
        { "INVALID_CODE", ResultAction.NeedsNewId },
    };

    [Theory]
    [MemberData(nameof(SectionFourCodes))]
    public void Every_code_has_its_action_and_a_reason(string code, ResultAction expected)
    {
        int index = ResultTable.Find(code);
        Assert.True(index >= 0, code + " missing");
        Assert.Equal(expected, ResultTable.ActionAt(index));
        Assert.False(string.IsNullOrWhiteSpace(ResultTable.ReasonAt(index)));
        Assert.True(ResultTable.ReasonAt(index).Length <= 60);
    }

    [Fact]
    public void The_table_holds_exactly_the_listed_codes_once()
    {
        var listed = SectionFourCodes.Select(row => (string)row[0]).ToHashSet();
        var table = Enumerable.Range(0, ResultTable.Count).Select(ResultTable.CodeAt).ToList();
        Assert.Equal(table.Count, table.Distinct().Count());
        Assert.True(listed.SetEquals(table));
    }

    [Fact]
    public void Unknown_codes_and_statuses_are_unknown()
    {
        Assert.Equal(-1, ResultTable.Find("SOMETHING_NEW"));
        Assert.Equal(ResultAction.Unknown, ResultTable.Classify((byte)'F', -1, AntomApi.Pay));
        Assert.Equal(ResultAction.Unknown, ResultTable.Classify((byte)'U', -1, AntomApi.Pay));
        Assert.Equal(ResultAction.Unknown, ResultTable.Classify((byte)'S', ResultTable.Find("PROCESS_FAIL"), AntomApi.Pay));
        Assert.Equal(ResultAction.Unknown, ResultTable.Classify(0, ResultTable.Success, AntomApi.Pay));
        Assert.Equal(ResultAction.Unknown, ResultTable.Classify((byte)'X', ResultTable.Success, AntomApi.Pay));
        // U is never final, F is never "in process".
        Assert.Equal(ResultAction.Unknown, ResultTable.Classify((byte)'U', ResultTable.Find("USER_BALANCE_NOT_ENOUGH"), AntomApi.Pay));
        Assert.Equal(ResultAction.Unknown, ResultTable.Classify((byte)'F', ResultTable.Find("UNKNOWN_EXCEPTION"), AntomApi.Pay));
    }

    [Fact]
    public void Not_found_depends_on_the_api()
    {
        int notExist = ResultTable.Find("ORDER_NOT_EXIST");
        Assert.Equal(ResultAction.FinalFail, ResultTable.Classify((byte)'F', notExist, AntomApi.Pay));
        Assert.Equal(ResultAction.Poll, ResultTable.Classify((byte)'F', notExist, AntomApi.InquiryPayment));
        Assert.Equal(ResultAction.Poll, ResultTable.Classify((byte)'F', notExist, AntomApi.InquiryRefund));
        Assert.Equal(ResultAction.FinalSuccess, ResultTable.Classify((byte)'F', notExist, AntomApi.Cancel));
    }

    /// <summary>Every code as a pay answer of a payment-code sale: the engine's final status follows the table.</summary>
    [Theory]
    [MemberData(nameof(SectionFourCodes))]
    public void Every_code_as_pay_answer_drives_the_sale(string code, ResultAction action)
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = 1;
        string status = action switch
        {
            ResultAction.FinalSuccess => "S",
            ResultAction.Poll or ResultAction.RetrySameId or ResultAction.BackOff => "U",
            _ => "F",
        };
        bool scripted = false;
        rig.Server.Override = c =>
        {
            if (c.Api != "pay" || scripted)
            {
                return null;
            }

            scripted = true;
            var body = FakeAntom.Result(status, code, "scripted");
            body["paymentRequestId"] = c.PaymentRequestId;
            return body;
        };
        PaymentResult r = rig.Cpm(100);

        switch (action)
        {
            case ResultAction.FinalSuccess:
                Assert.Equal(FinalStatus.Success, r.Status);
                Assert.Empty(rig.Server.CallsTo("inquiryPayment"));
                break;
            case ResultAction.FinalFail:
            case ResultAction.NeedsNewId:
            case ResultAction.ConfigurationError:
                Assert.Equal(FinalStatus.Failed, r.Status);
                Assert.Equal(code, r.ResultCode);
                Assert.Equal(ResultTable.ReasonAt(ResultTable.Find(code)), r.Reason);
                Assert.Equal(action == ResultAction.ConfigurationError, r.ConfigurationError);
                Assert.Empty(rig.Server.CallsTo("inquiryPayment"));
                break;
            case ResultAction.BackOff:
                // Throttled: the same request again after a longer wait.
                Assert.Equal(FinalStatus.Success, r.Status);
                Assert.Equal(2, rig.Server.CallsTo("pay").Count());
                Assert.Equal(4000, rig.Sleeper.Sleeps[0]);
                break;
            default:
                // Unknown or in process: inquired with the same id, then paid (the server's truth).
                Assert.Equal(FinalStatus.Success, r.Status);
                Assert.NotEmpty(rig.Server.CallsTo("inquiryPayment"));
                Assert.Single(rig.Server.CallsTo("pay"));
                break;
        }

        rig.AssertPaysConsistent();
    }

    [Theory]
    [InlineData("INVALID_PAYMENT_CODE", "Invalid code: ask the customer to refresh the code")]
    [InlineData("USER_BALANCE_NOT_ENOUGH", "Insufficient balance: use another payment method")]
    [InlineData("CANCEL_WINDOW_EXCEED", "Too late to cancel: refund instead")]
    public void Reasons_tell_the_cashier_what_to_do(string code, string reason)
    {
        Assert.Equal(reason, EngineCodes.ReasonFor(code));
    }
}
