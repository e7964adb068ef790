using Terminal.Core.Json;
using Terminal.Payments.Journal;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// The heartbeat's JSON body (docs/fleet-link.md, "Heartbeat"), written into the caller's buffer with nothing
    /// allocated, members in this order:
    /// <code>
    /// {"beat":"9f86d081884c7d65","firmware":"1.0.0","uptimeS":3600,"intervalMs":60000,"boot":{"count":3,"reason":"power"},
    ///  "heap":81234,"wifi":{"rssi":-61,"reconnects":2},"scanner":"ok","display":"ok","storage":"ok","clock":"ok",
    ///  "journal":{"open":[],"review":[{"kind":"sale","requestId":"T0001...","reference":"A-1001"}],"more":0},
    ///  "settings":{"applied":7,"rejected":8,"field":"cpmBudgetMs","reason":"must be at least pollIntervalMs"},
    ///  "update":{"version":"1.4.0","state":"downloading","bytes":123456},"lastError":"..."}
    /// </code>
    /// heap, wifi members, settings.rejected/field/reason, update (docs/ota.md) and lastError are left out when unknown or none. The journal
    /// lists its unfinished transactions ("open") and those ended for review ("review"), newest first, at most
    /// <see cref="MaxReferences"/> in all; "more" counts the ones left out. At most about 1,900 bytes (8 references of
    /// 64-character ids and references, a 120-character last error); a body that does not fit the request buffer is
    /// written again without references.
    /// </summary>
    public static class HeartbeatBody
    {
        /// <summary>Most journal references in one body (the journal holds at most 52 records).</summary>
        public const int MaxReferences = 8;

        /// <summary>Writes the body with at most <paramref name="maxReferences"/> journal references (the rest counted in "more").</summary>
        public static void Write(JsonWriter w, HeartbeatFacts f, TransactionJournal journal, int maxReferences)
        {
            w.StartObject();
            w.WriteString("beat", f.Beat, 0, HeartbeatFacts.BeatLength);
            w.WriteString("firmware", f.Firmware);
            w.WriteNumber("uptimeS", f.UptimeS);
            w.WriteNumber("intervalMs", f.IntervalMs);
            w.StartObject("boot");
            w.WriteNumber("count", f.BootCount);
            w.WriteString("reason", f.BootReason);
            w.EndObject();
            if (f.FreeHeapBytes >= 0)
            {
                w.WriteNumber("heap", f.FreeHeapBytes);
            }

            if (f.WifiRssi != 0 || f.WifiReconnects >= 0)
            {
                w.StartObject("wifi");
                if (f.WifiRssi != 0)
                {
                    w.WriteNumber("rssi", f.WifiRssi);
                }

                if (f.WifiReconnects >= 0)
                {
                    w.WriteNumber("reconnects", f.WifiReconnects);
                }

                w.EndObject();
            }

            w.WriteString("scanner", f.Scanner);
            w.WriteString("display", f.Display);
            w.WriteString("storage", f.Storage);
            w.WriteString("clock", f.Clock);
            WriteJournal(w, journal, maxReferences);
            w.StartObject("settings");
            w.WriteNumber("applied", f.SettingsApplied);
            if (f.SettingsRejected != 0)
            {
                w.WriteNumber("rejected", f.SettingsRejected);
                w.WriteString("field", f.RejectedField);
                w.WriteString("reason", f.RejectedReason);
            }

            w.EndObject();
            if (f.UpdateVersion != null)
            {
                w.StartObject("update");
                w.WriteString("version", f.UpdateVersion);
                w.WriteString("state", f.UpdateState);
                if (f.UpdateBytes >= 0)
                {
                    w.WriteNumber("bytes", f.UpdateBytes);
                }

                if (f.UpdateReason != null)
                {
                    w.WriteString("reason", f.UpdateReason);
                }

                w.EndObject();
            }

            if (f.LastError != null)
            {
                w.WriteString("lastError", f.LastError);
            }

            w.EndObject();
        }

        /// <summary>The word a journal record's kind is reported with: "sale", "refund" or "void".</summary>
        public static string KindWord(TransactionKind kind)
        {
            return kind == TransactionKind.Refund ? "refund" : kind == TransactionKind.Void ? "void" : "sale";
        }

        private static void WriteJournal(JsonWriter w, TransactionJournal journal, int maxReferences)
        {
            w.StartObject("journal");
            int written = 0;
            int left = 0;
            w.StartArray("open");
            for (int i = journal.Count - 1; i >= 0; i--)
            {
                TransactionRecord r = journal.Get(i);
                if (!r.IsFinal && r.Kind != TransactionKind.None && !Id(r).IsEmpty)
                {
                    if (written < maxReferences)
                    {
                        WriteReference(w, r);
                        written++;
                    }
                    else
                    {
                        left++;
                    }
                }
            }

            w.EndArray();
            w.StartArray("review");
            for (int i = journal.Count - 1; i >= 0; i--)
            {
                TransactionRecord r = journal.Get(i);
                if (r.IsFinal && r.Status == FinalStatus.NeedsReview && !Id(r).IsEmpty)
                {
                    if (written < maxReferences)
                    {
                        WriteReference(w, r);
                        written++;
                    }
                    else
                    {
                        left++;
                    }
                }
            }

            w.EndArray();
            w.WriteNumber("more", left);
            w.EndObject();
        }

        /// <summary>A void is named by the paymentRequestId of the sale it cancels (it has no request id of its own).</summary>
        private static Core.Text.TextField Id(TransactionRecord r)
        {
            return r.Kind == TransactionKind.Void ? r.TargetRequestId : r.RequestId;
        }

        /// <summary>One reference: its kind, its id (a record without one is not reported), the register's reference.</summary>
        private static void WriteReference(JsonWriter w, TransactionRecord r)
        {
            w.StartObject();
            w.WriteString("kind", KindWord(r.Kind));
            Core.Text.TextField id = Id(r);
            w.WriteString("requestId", id.Bytes, 0, id.Length);
            if (!r.Reference.IsEmpty)
            {
                w.WriteString("reference", r.Reference.Bytes, 0, r.Reference.Length);
            }

            w.EndObject();
        }
    }
}
