using Terminal.Core.Json;
using Terminal.Core.Ports;
using Terminal.Payments.Antom;
using Terminal.Payments.Config;
using Terminal.Transactions;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// The heartbeat (docs/fleet-link.md): on the desk's worker between transactions, when <see cref="HeartbeatSchedule"/>
    /// says it is due, writes <see cref="HeartbeatBody"/> into the worker's request buffer, signs it with the heartbeat's
    /// request key (label <c>qr-terminal-hs256/heartbeat/device-to-gateway</c>), posts it to <see cref="Path"/>, and
    /// trusts the answer only when it is HTTP 200, signed with the heartbeat's answer key and repeats this beat's id.
    /// An answer then hands its settings version to <see cref="Settings.RemoteSettings"/> and its resolutions to the
    /// journal (<see cref="DeskLink.Resolve"/>), its update offer to the update component (<see cref="IUpdateLink"/>;
    /// a malformed offer is dropped with a warning and counted for DIAG). A steady-state beat (no new settings, no resolutions) allocates
    /// nothing: the body, the signature and the answer's parse use preallocated buffers.
    /// </summary>
    public sealed class HeartbeatTask : IDeskLinkTask, IResultSubscriber
    {
        /// <summary>The gateway's heartbeat path (DeviceRouteGroups.TerminalApiPrefix + "/heartbeat").</summary>
        public const string Path = "/terminal/v1/heartbeat";

        /// <summary>Wall-clock readings before 2024-01-01 mean the clock was never set (SNTP not reached yet).</summary>
        public const long ClockValidAfterMs = 1704067200000L;

        private const string Ok = "ok";
        private const string Error = "error";
        private const string Invalid = "invalid";

        private readonly HeartbeatSection _section;
        private readonly PaymentsConfig _payments;
        private readonly IHttpExchange _http;
        private readonly HeartbeatSources _sources;
        private readonly Hs256Signer _signer;
        private readonly HeartbeatSchedule _schedule;
        private readonly HeartbeatFacts _facts = new HeartbeatFacts();
        private readonly HeartbeatAnswer _answer = new HeartbeatAnswer();
        private readonly byte[] _random = new byte[HeartbeatFacts.BeatLength / 2];
        private readonly long _startMs;
        private JsonWriter _writer;
        private int _beats;
        private int _failures;
        private int _offerRejections;
        private string _offerProblem;

        public HeartbeatTask(HeartbeatSection section, PaymentsConfig payments, IMac deviceKey, IHttpExchange http, HeartbeatSources sources)
        {
            if (section == null || payments == null || deviceKey == null || http == null || sources == null)
            {
                throw new System.ArgumentNullException(section == null ? "section" : payments == null ? "payments" : deviceKey == null ? "deviceKey" : http == null ? "http" : "sources");
            }

            if (sources.Clock == null || sources.Random == null || sources.Boot == null || sources.Log == null || sources.Parts == null)
            {
                throw new System.ArgumentException("clock, random, boot record, log and parts are required", "sources");
            }

            _section = section;
            _payments = payments;
            _http = http;
            _sources = sources;
            _signer = new Hs256Signer(deviceKey, payments.Device.DeviceId, payments.Device.KeyVersion, SignatureKeys.HeartbeatRequest, SignatureKeys.HeartbeatAnswer);
            _startMs = sources.Clock.MonotonicMs();
            _schedule = new HeartbeatSchedule(_startMs);
        }

        /// <summary>When the next beat goes.</summary>
        public HeartbeatSchedule Schedule
        {
            get { return _schedule; }
        }

        /// <summary>Beats the gateway answered (signed, this beat's id).</summary>
        public int Beats
        {
            get { return _beats; }
        }

        /// <summary>Beats without a usable answer (not sent, no answer, unsigned, wrong beat id, refused).</summary>
        public int Failures
        {
            get { return _failures; }
        }

        /// <summary>Update offers dropped as malformed (the answer's other members still counted).</summary>
        public int OfferRejections
        {
            get { return _offerRejections; }
        }

        /// <summary>Why the last malformed offer was dropped, or null.</summary>
        public string OfferProblem
        {
            get { return _offerProblem; }
        }

        /// <summary>The facts of the last beat (tests, DIAG).</summary>
        public HeartbeatFacts Facts
        {
            get { return _facts; }
        }

        public bool IsDue()
        {
            return _schedule.IsDue(_sources.Clock.MonotonicMs());
        }

        /// <summary>A transaction ended: the gateway hears of it soon (its journal state changed).</summary>
        public void OnResult(DeskResult result)
        {
            _schedule.TransactionEnded(_sources.Clock.MonotonicMs());
        }

        /// <summary>One beat; a beat that throws counts as failed (its backoff stands), so a fault never repeats in a tight loop.</summary>
        public void Run(DeskLink link)
        {
            try
            {
                Beat(link);
            }
            catch (System.Exception)
            {
                Fail(_sources.Clock.MonotonicMs(), "heartbeat: fault, next beat after the backoff");
                throw;
            }
        }

        private void Beat(DeskLink link)
        {
            IClock clock = _sources.Clock;
            HttpExchange exchange = link.Exchange;
            if (_writer == null || _writer.Buffer != exchange.RequestBuffer)
            {
                _writer = new JsonWriter(exchange.RequestBuffer);
            }

            Fill(link);
            int length = Write(link, HeartbeatBody.MaxReferences);
            if (length > exchange.RequestBodyCapacity)
            {
                // Long ids and a small requestBufferBytes: the references go, the counts stay.
                length = Write(link, 0);
            }

            if (length > exchange.RequestBodyCapacity)
            {
                throw new JsonBufferTooSmallException(length, exchange.RequestBodyCapacity);
            }

            MoveRight(exchange.RequestBuffer, length, exchange.RequestBodyOffset);
            exchange.RequestBodyLength = length;
            _signer.Sign(exchange, Path, clock.UtcNowMs());
            exchange.ClearResponse();
            HttpExchangeStatus status = _http.Send(exchange, _payments.Network.HttpTimeoutMs);
            long now = clock.MonotonicMs();
            if (status != HttpExchangeStatus.Completed || exchange.StatusCode != 200)
            {
                Fail(now, "heartbeat: no answer from the gateway");
                return;
            }

            if (!_signer.Verify(exchange))
            {
                Fail(now, "heartbeat: answer signature missing or wrong; ignored");
                return;
            }

            if (!_answer.Parse(exchange.ResponseBuffer, exchange.ResponseBodyOffset, exchange.ResponseBodyLength, _facts.Beat))
            {
                Fail(now, "heartbeat: malformed answer or not this beat's; ignored");
                return;
            }

            if (!_answer.Succeeded)
            {
                Fail(now, "heartbeat: refused by the gateway");
                return;
            }

            _beats++;
            _schedule.Succeeded(now, _section.HeartbeatIntervalMs);
            if (_answer.HasSettings && _sources.Settings != null)
            {
                _sources.Settings.Offer(_answer.SettingsVersion, exchange.ResponseBuffer, _answer.ValuesOffset, _answer.ValuesCount);
            }

            if (_answer.OfferProblem != null)
            {
                _offerRejections++;
                _offerProblem = _answer.OfferProblem;
                _sources.Log.Write(LogLevel.Warning, "heartbeat: " + _answer.OfferProblem + "; offer ignored");
            }

            if (_sources.Updates != null)
            {
                _sources.Updates.Offered(_answer.HasOffer ? _answer.Offer : null);
            }

            for (int i = 0; i < _answer.ResolutionCount; i++)
            {
                Resolution r = _answer.ResolutionAt(i);
                link.Resolve(r.Kind, r.RequestId.ToString(), r.Status, r.ResultCode.IsEmpty ? null : r.ResultCode.ToString());
            }
        }

        /// <summary>The body's length, or more than the body capacity when it did not fit.</summary>
        private int Write(DeskLink link, int maxReferences)
        {
            _writer.Reset();
            try
            {
                HeartbeatBody.Write(_writer, _facts, link.Journal, maxReferences);
            }
            catch (JsonBufferTooSmallException)
            {
                return int.MaxValue;
            }

            return _writer.Length;
        }

        /// <summary>Everything the body reports besides the journal; constants and kept references only.</summary>
        private void Fill(DeskLink link)
        {
            HeartbeatFacts f = _facts;
            IClock clock = _sources.Clock;
            _sources.Random.NextBytes(_random, 0, _random.Length);
            byte[] beat = f.Beat;
            for (int i = 0; i < _random.Length; i++)
            {
                beat[2 * i] = HexDigit(_random[i] >> 4);
                beat[(2 * i) + 1] = HexDigit(_random[i] & 15);
            }

            f.Firmware = _sources.Firmware == null ? "unknown" : _sources.Firmware;
            f.UptimeS = (clock.MonotonicMs() - _startMs) / 1000;
            f.IntervalMs = _section.HeartbeatIntervalMs;
            f.BootCount = _sources.Boot.Count;
            f.BootReason = _sources.Boot.Reason;
            IPlatformHealth platform = _sources.Platform;
            f.FreeHeapBytes = platform == null ? -1 : platform.FreeHeapBytes();
            f.WifiRssi = platform == null ? 0 : platform.WifiRssi();
            f.WifiReconnects = platform == null ? -1 : platform.WifiReconnects();
            f.Scanner = _sources.Parts.Scanner();
            f.Display = _sources.Parts.Display();
            Settings.RemoteSettings settings = _sources.Settings;
            bool storageFailed = !link.JournalUsable || link.Journal.CommitFailures > 0 || _sources.Boot.Failed || (settings != null && settings.StorageFailures > 0);
            f.Storage = storageFailed ? Error : Ok;
            f.Clock = clock.UtcNowMs() > ClockValidAfterMs ? Ok : Invalid;
            f.SettingsApplied = settings == null ? 0 : settings.AppliedVersion;
            f.SettingsRejected = settings == null ? 0 : settings.RejectedVersion;
            f.RejectedField = settings == null ? null : settings.RejectedField;
            f.RejectedReason = settings == null ? null : settings.RejectedReason;
            f.UpdateVersion = null;
            f.UpdateState = null;
            f.UpdateBytes = -1;
            f.UpdateReason = null;
            if (_sources.Updates != null)
            {
                _sources.Updates.Report(f);
            }

            f.LastError = _sources.Log.LastError;
        }

        private void Fail(long now, string message)
        {
            _failures++;
            _schedule.Failed(now, _section.HeartbeatIntervalMs);

            // Logged as a warning: an unreachable gateway must not become the last error reported.
            _sources.Log.Write(LogLevel.Warning, message);
        }

        private static byte HexDigit(int value)
        {
            return (byte)(value < 10 ? '0' + value : 'a' + value - 10);
        }

        /// <summary>Moves buffer[0 .. length) to buffer[by .. by+length), last byte first (the ranges overlap).</summary>
        private static void MoveRight(byte[] buffer, int length, int by)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                buffer[i + by] = buffer[i];
            }
        }
    }
}
