using System.Text;
using Terminal.Core.Ports;
using Terminal.Io.Http;
using Terminal.Tests.Support;
using Xunit;

namespace Terminal.Tests.Http;

/// <summary>
/// The device's HTTP client against a scripted connection and a fake clock: which failures are retried, which
/// connections are kept, that every call gets at most the time left, that nothing is allocated per exchange.
/// </summary>
public sealed class GatewayHttpClientTests
{
    private static readonly GatewayAddress Address = GatewayAddress.Parse("https://gw.example.com:8443/base");

    /// <summary>A connection whose every call is scripted; it records what the client did.</summary>
    private sealed class ScriptedConnection(FakeClock clock) : IGatewayConnection
    {
        private byte[] _answer = [];
        private int _answerAt;

        public bool IsOpen { get; private set; }

        public int Opens { get; private set; }

        public int Closes { get; private set; }

        public bool OpenSucceeds { get; set; } = true;

        /// <summary>Milliseconds each Open takes (the fake clock advances).</summary>
        public int OpenTakesMs { get; set; }

        public bool Reusable { get; set; } = true;

        /// <summary>Write calls that fail, counted from the next one (0 = the next write fails).</summary>
        public int FailWriteNumber { get; set; } = -1;

        /// <summary>Milliseconds each read takes before it times out (with nothing) when the answer is used up.</summary>
        public bool SilentAfterAnswer { get; set; }

        public List<string> Writes { get; } = [];

        public List<(long At, int Timeout)> Calls { get; } = [];

        /// <summary>The bytes the next reads return (in pieces of at most the client's buffer).</summary>
        public void Answer(string response)
        {
            _answer = Encoding.ASCII.GetBytes(response);
            _answerAt = 0;
        }

        public bool Open(int timeoutMs)
        {
            Calls.Add((clock.Mono, timeoutMs));
            Opens++;
            clock.Advance(Math.Min(OpenTakesMs, timeoutMs));
            IsOpen = OpenSucceeds && OpenTakesMs <= timeoutMs;
            return IsOpen;
        }

        public bool CanReuse() => IsOpen && Reusable;

        public bool Write(byte[] buffer, int offset, int count, int timeoutMs)
        {
            Calls.Add((clock.Mono, timeoutMs));
            if (FailWriteNumber-- == 0 || !IsOpen)
            {
                IsOpen = false;
                return false;
            }

            Writes.Add(Encoding.ASCII.GetString(buffer, offset, count));
            return true;
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            Calls.Add((clock.Mono, timeoutMs));
            if (!IsOpen)
            {
                return -1;
            }

            if (_answerAt == _answer.Length)
            {
                if (SilentAfterAnswer)
                {
                    clock.Advance(timeoutMs);
                    IsOpen = false;
                    return -1;
                }

                return 0;
            }

            int n = Math.Min(count, _answer.Length - _answerAt);
            Array.Copy(_answer, _answerAt, buffer, offset, n);
            _answerAt += n;
            return n;
        }

        public void Close()
        {
            Closes++;
            IsOpen = false;
        }
    }

    private static HttpExchange Request(string clientId = "T0001")
    {
        var ex = new HttpExchange(128, 128, 16) { Path = "/ams/api/v1/payments/inquiryPayment", ClientId = clientId };
        byte[] body = Encoding.ASCII.GetBytes("{\"paymentRequestId\":\"r1\"}");
        body.CopyTo(ex.RequestBuffer, ex.RequestBodyOffset);
        ex.RequestBodyLength = body.Length;
        ex.RequestTimeLength = Encoding.ASCII.GetBytes("1700000000000", ex.RequestTime);
        ex.SignatureLength = Encoding.ASCII.GetBytes("algorithm=HS256,keyVersion=1,signature=x", ex.Signature);
        return ex;
    }

    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSignature: s\r\n\r\n{}";

    private static (GatewayHttpClient Client, ScriptedConnection Connection, FakeClock Clock) Rig()
    {
        var clock = new FakeClock();
        var connection = new ScriptedConnection(clock);
        return (new GatewayHttpClient(Address, connection, clock), connection, clock);
    }

    [Fact]
    public void The_request_goes_out_as_head_then_body()
    {
        var (client, connection, _) = Rig();
        connection.Answer(Ok);
        Assert.Equal(HttpExchangeStatus.Completed, client.Send(Request(), 5000));
        Assert.Equal(2, connection.Writes.Count);
        Assert.Equal("POST /base/ams/api/v1/payments/inquiryPayment HTTP/1.1\r\nHost: gw.example.com:8443\r\n"
            + "Content-Type: application/json; charset=UTF-8\r\nContent-Length: 25\r\nConnection: keep-alive\r\n"
            + "Client-Id: T0001\r\nRequest-Time: 1700000000000\r\nSignature: algorithm=HS256,keyVersion=1,signature=x\r\n\r\n",
            connection.Writes[0]);
        Assert.Equal("{\"paymentRequestId\":\"r1\"}", connection.Writes[1]);
    }

    [Fact]
    public void A_kept_connection_whose_head_cannot_be_written_is_replaced_once()
    {
        var (client, connection, _) = Rig();
        connection.Answer(Ok);
        Assert.Equal(HttpExchangeStatus.Completed, client.Send(Request(), 5000));
        connection.FailWriteNumber = 0;
        connection.Answer(Ok);
        Assert.Equal(HttpExchangeStatus.Completed, client.Send(Request(), 5000));
        Assert.Equal(2, connection.Opens);
        Assert.Equal(1, client.StaleRetries);
        Assert.Equal(2, connection.Writes.Count(w => w.StartsWith('{')));
    }

    [Fact]
    public void A_head_that_fails_on_a_new_connection_is_not_retried()
    {
        var (client, connection, _) = Rig();
        connection.FailWriteNumber = 0;
        Assert.Equal(HttpExchangeStatus.ConnectFailed, client.Send(Request(), 5000));
        Assert.Equal(1, connection.Opens);
        Assert.Equal(0, client.StaleRetries);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_body_that_fails_to_go_out_is_unknown_and_never_sent_again(bool onKeptConnection)
    {
        var (client, connection, _) = Rig();
        if (onKeptConnection)
        {
            connection.Answer(Ok);
            Assert.Equal(HttpExchangeStatus.Completed, client.Send(Request(), 5000));
        }

        int opens = connection.Opens;
        connection.FailWriteNumber = 1; // the head goes, the body fails
        connection.Answer(Ok);
        Assert.Equal(HttpExchangeStatus.ResponseBroken, client.Send(Request(), 5000));
        Assert.Equal(onKeptConnection ? opens : opens + 1, connection.Opens);
        Assert.Equal(onKeptConnection ? 2 : 1, connection.Writes.Count(w => w.StartsWith("POST", StringComparison.Ordinal)));
        Assert.Equal(0, client.StaleRetries);
    }

    [Fact]
    public void A_connection_idle_too_long_or_no_longer_clean_is_not_used()
    {
        var (client, connection, clock) = Rig();
        connection.Answer(Ok);
        client.Send(Request(), 5000);
        clock.Advance(GatewayHttpClient.MaxIdleMs - 1);
        connection.Answer(Ok);
        client.Send(Request(), 5000);
        Assert.Equal(1, connection.Opens);
        Assert.Equal(1, client.ConnectionsReused);

        clock.Advance(GatewayHttpClient.MaxIdleMs);
        connection.Answer(Ok);
        client.Send(Request(), 5000);
        Assert.Equal(2, connection.Opens);

        connection.Reusable = false;
        connection.Answer(Ok);
        client.Send(Request(), 5000);
        Assert.Equal(3, connection.Opens);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n{}")]
    public void A_connection_the_answer_does_not_leave_clean_is_closed(string answer)
    {
        var (client, connection, _) = Rig();
        connection.Answer(answer);
        HttpExchange ex = Request();
        Assert.Equal(HttpExchangeStatus.Completed, client.Send(ex, 5000));
        Assert.Equal("{}", Encoding.ASCII.GetString(ex.ResponseBuffer, ex.ResponseBodyOffset, ex.ResponseBodyLength));
        Assert.False(connection.IsOpen);
        connection.Answer(Ok);
        client.Send(Request(), 5000);
        Assert.Equal(2, connection.Opens);
    }

    [Fact]
    public void Every_call_gets_at_most_the_time_left_and_the_exchange_ends_by_its_deadline()
    {
        var (client, connection, clock) = Rig();
        connection.OpenTakesMs = 700;
        connection.Answer("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"partial\":");
        connection.SilentAfterAnswer = true;
        long start = clock.Mono;
        Assert.Equal(HttpExchangeStatus.TimeoutAfterSend, client.Send(Request(), 1000));
        Assert.Equal(start + 1000, clock.Mono);
        Assert.All(connection.Calls, c => Assert.True(c.Timeout > 0 && c.At + c.Timeout <= start + 1000, c.ToString()));
    }

    [Fact]
    public void Time_running_out_while_connecting_is_unsent()
    {
        var (client, connection, _) = Rig();
        connection.OpenTakesMs = 5000;
        Assert.Equal(HttpExchangeStatus.TimeoutBeforeSend, client.Send(Request(), 1000));
        connection.OpenTakesMs = 0;
        connection.OpenSucceeds = false;
        Assert.Equal(HttpExchangeStatus.ConnectFailed, client.Send(Request(), 1000));
        Assert.Equal(2, client.ConnectFailures);
    }

    [Theory]
    [InlineData("T0001\r\nX-Injected: 1")]
    [InlineData("T 0001\u00e9")]
    public void A_value_that_would_break_the_head_is_refused_before_connecting(string clientId)
    {
        var (client, connection, _) = Rig();
        Assert.Equal(HttpExchangeStatus.ConnectFailed, client.Send(Request(clientId), 5000));
        Assert.Equal(0, connection.Opens);
        Assert.Equal(1, client.RefusedHeads);
    }

    [Fact]
    public void A_failed_exchange_leaves_no_response_behind()
    {
        var (client, connection, _) = Rig();
        connection.Answer("HTTP/1.1 200 OK\r\nSignature: s\r\nContent-Length: 10\r\n\r\nabc");
        HttpExchange ex = Request();
        Assert.Equal(HttpExchangeStatus.ResponseBroken, client.Send(ex, 5000));
        Assert.Equal(0, ex.StatusCode);
        Assert.Equal(0, ex.ResponseSignatureLength);
        Assert.Equal(0, ex.ResponseBodyLength);
    }

    /// <summary>A connection that answers every request with the same preallocated bytes and allocates nothing.</summary>
    private sealed class CannedConnection(byte[] answer) : IGatewayConnection
    {
        private int _at = -1;

        public int Opens { get; private set; }

        public bool Open(int timeoutMs)
        {
            Opens++;
            return true;
        }

        public bool CanReuse() => true;

        public bool Write(byte[] buffer, int offset, int count, int timeoutMs)
        {
            _at = 0;
            return true;
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = Math.Min(count, answer.Length - _at);
            Array.Copy(answer, _at, buffer, offset, n);
            _at += n;
            return n;
        }

        public void Close()
        {
        }
    }

    [Fact]
    public void An_exchange_on_a_kept_connection_allocates_nothing()
    {
        // docs/architecture.md section 5: polling allocates nothing per iteration, and every poll is an exchange.
        var connection = new CannedConnection(Encoding.ASCII.GetBytes(Ok));
        var client = new GatewayHttpClient(Address, connection, new FakeClock());
        HttpExchange ex = Request();
        Assert.Equal(HttpExchangeStatus.Completed, client.Send(ex, 5000));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            client.Send(ex, 5000);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1, connection.Opens);
        Assert.Equal(2, ex.ResponseBodyLength);
    }
}
