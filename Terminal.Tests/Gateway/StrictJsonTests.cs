using System.Text;
using Terminal.Gateway.Api;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// <see cref="StrictJson"/> compares keys as the body's bytes and makes paths into text only for errors: a key written
/// with escapes is still the same key, objects with many keys still find their duplicates, and a good body costs no
/// allocation (it runs on every device request). The fuzz target checks it against System.Text.Json as well.
/// </summary>
public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("{\"a\":1,\"\\u0061\":2}", "body: duplicate key 'a'")]
    [InlineData("{\"\\u0062\":1,\"b\":2}", "body: duplicate key 'b'")]
    [InlineData("{\"x\":[1,{\"b\":{\"c\":1,\"c\":2}}]}", "body: duplicate key 'x[1].b.c'")]
    [InlineData("[{\"k\":1},{\"k\":1,\"k\":2}]", "body: duplicate key '[1].k'")]
    [InlineData("{\"a\":{\"\\ud800\":1}}", "a.?: key has a lone surrogate escape")]
    [InlineData("{\"a\":[\"ok\",\"\\udc00\"]}", "a[1]: string has a lone surrogate escape")]
    public void Problems_are_named_by_their_path(string body, string expected) => Assert.Equal(expected, StrictJson.Check(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Keys_that_differ_only_in_an_object_around_them_are_not_duplicates() =>
        Assert.Null(StrictJson.Check("{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":1},\"c\":[{\"a\":1},{\"a\":2}]}"u8));

    [Fact]
    public void An_object_with_many_keys_finds_a_duplicate_whether_before_or_after_it_switches_to_a_set()
    {
        string Keys(int n, string? extra) => "{" + string.Join(",", Enumerable.Range(0, n).Select(i => $"\"k{i}\":{i}")) + (extra == null ? "" : "," + extra) + "}";
        Assert.Null(StrictJson.Check(Encoding.UTF8.GetBytes(Keys(100, null))));
        Assert.Equal("body: duplicate key 'k3'", StrictJson.Check(Encoding.UTF8.GetBytes(Keys(100, "\"k3\":0"))));
        Assert.Equal("body: duplicate key 'k99'", StrictJson.Check(Encoding.UTF8.GetBytes(Keys(100, "\"k9\\u0039\":0"))));
        Assert.Equal("body: duplicate key 'k5'", StrictJson.Check(Encoding.UTF8.GetBytes(Keys(10, "\"k5\":0"))));
    }

    [Fact]
    public void A_good_body_is_checked_without_allocating()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"paymentRequestId\":\"P-1\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"100\"},\"order\":{\"orderDescription\":\"caf\\u00e9\"," +
            "\"merchant\":{\"store\":{\"storeName\":\"S\"}}},\"paymentMethod\":{\"paymentMethodType\":\"CONNECT_WALLET\",\"paymentMethodId\":\"2888\"},\"list\":[1,2,{\"a\":true}]}");
        Assert.Null(StrictJson.Check(body));
        Assert.Null(StrictJson.Check(body));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(StrictJson.Check(body));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
