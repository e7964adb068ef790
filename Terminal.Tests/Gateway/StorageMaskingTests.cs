using System.Text;
using System.Text.Json.Nodes;
using Terminal.Gateway.AntomRelay;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// How bodies are masked before they are stored (<see cref="PaymentCodes.ForStorage"/>): the payment code keeps its last
/// four characters and the result page's token none, written over the bytes so the rest of the body stays as it came;
/// escaped or non-ASCII values go through a JSON tree instead and are masked all the same.
/// </summary>
public sealed class StorageMaskingTests
{
    [Fact]
    public void The_payment_code_is_masked_over_its_bytes_and_the_rest_of_the_body_is_kept_byte_for_byte()
    {
        const string body = "{ \"paymentRequestId\" : \"P1\",\"paymentMethod\":{\"paymentMethodType\":\"CONNECT_WALLET\", \"paymentMethodId\":\"281010897274821897274821\"},\"x\":\"\\u00e9\"}";
        string stored = PaymentCodes.ForStorage(Encoding.UTF8.GetBytes(body));
        Assert.Equal(body.Replace("281010897274821897274821", "********************4821"), stored);
    }

    [Fact]
    public void The_result_page_token_is_masked_after_the_last_slash()
    {
        const string body = "{\"paymentRedirectUrl\":\"https://pay.example/p/AbCdEf123\",\"paymentRequestId\":\"P1\"}";
        Assert.Equal("{\"paymentRedirectUrl\":\"https://pay.example/p/*********\",\"paymentRequestId\":\"P1\"}", PaymentCodes.ForStorage(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("1234", "****")]
    [InlineData("12", "**")]
    [InlineData("12345", "*2345")]
    public void Short_codes_are_masked_like_Mask_does(string code, string expected)
    {
        string stored = PaymentCodes.ForStorage(Encoding.UTF8.GetBytes("{\"paymentMethod\":{\"paymentMethodId\":\"" + code + "\"}}"));
        Assert.Equal("{\"paymentMethod\":{\"paymentMethodId\":\"" + expected + "\"}}", stored);
        Assert.Equal(expected, PaymentCodes.Mask(code));
    }

    [Fact]
    public void An_escaped_payment_code_is_masked_through_a_tree_and_never_left_in_clear()
    {
        // \u0032 is '2' and \u0038 is '8': the code is 210108972748218 however it is written.
        const string body = "{\"paymentMethod\":{\"paymentMethodId\":\"\\u00321010897274821\\u0038\"},\"paymentRequestId\":\"P1\"}";
        string stored = PaymentCodes.ForStorage(Encoding.UTF8.GetBytes(body));
        var parsed = JsonNode.Parse(stored)!;
        Assert.Equal("***********8218", (string?)parsed["paymentMethod"]!["paymentMethodId"]);
        Assert.DoesNotContain("1010897274821", stored);
        Assert.Equal("P1", (string?)parsed["paymentRequestId"]);
    }

    [Fact]
    public void A_body_without_code_or_link_is_returned_as_given_and_text_that_is_not_JSON_is_stored_as_it_came()
    {
        const string body = "{\"paymentRequestId\":\"P1\",\"paymentMethod\":{\"paymentMethodType\":\"X\"}}";
        Assert.Same(body, PaymentCodes.ForStorage(Encoding.UTF8.GetBytes(body), body));
        Assert.Equal("not json", PaymentCodes.ForStorage("not json"u8));
    }

    [Fact]
    public void A_code_or_link_that_is_not_a_string_is_left_alone_and_a_nested_paymentMethodId_elsewhere_is_not_the_code()
    {
        const string body = "{\"paymentMethod\":{\"paymentMethodId\":12345678},\"order\":{\"paymentMethodId\":\"ABCDEFGHIJ\"}}";
        Assert.Equal(body, PaymentCodes.ForStorage(Encoding.UTF8.GetBytes(body)));
    }
}
