using System.Threading;
using Terminal.DeviceLink;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Firmware.Config;
using Terminal.Firmware.Diagnostics;
using Terminal.Payments.Engine;
using Terminal.Transactions;

namespace Terminal.NanoRunner.Scenario
{
    /// <summary>
    /// The device link on the desk's worker (docs/fleet-link.md): the desk is started over the scenario's journal and
    /// gateway, the heartbeat goes at once, and again after its interval; each is signed with the heartbeat's key,
    /// answered by the gateway with the beat's id and trusted only then; the second answer carries a remote settings
    /// version, which is checked with the configuration's rules, stored and applied. On nanoCLR this runs the real
    /// worker thread.
    /// </summary>
    public static class HeartbeatStep
    {
        private const int WaitMs = 20000;

        public static void Run(ScenarioRig rig, SelfTestReport report)
        {
            TransactionDesk desk = new TransactionDesk(rig.Config.Payments, rig.Gateway, new PortableMac(rig.Config.Device.Key), rig.Storage, rig.Clock, rig.Clock,
                rig.Random, rig.Log, null, new DeskTimings());
            HeartbeatSources sources = new HeartbeatSources();
            sources.Clock = rig.Clock;
            sources.Random = rig.Random;
            sources.Log = new LastErrorLog(rig.Log);
            sources.Parts = new RunnerParts();
            sources.Firmware = "runner";
            FleetLink link = new FleetLink(rig.Config.DeviceLink, rig.Config.Payments, rig.Config.Sections, TerminalConfig.NewSections,
                new PortableMac(rig.Config.Device.Key), rig.Gateway, rig.Storage, sources);
            link.Attach(desk);
            link.Start();
            desk.Open();
            int before = rig.Gateway.Heartbeats;
            desk.Start();
            bool first = WaitFor(link.Heartbeat, 1);
            rig.Gateway.OfferSettingsVersion = 5;
            rig.Clock.Sleep(rig.Config.DeviceLink.HeartbeatIntervalMs);
            bool second = WaitFor(link.Heartbeat, 2);
            rig.Gateway.OfferSettingsVersion = 0;
            bool stopped = desk.Stop(WaitMs);
            link.Stopped();

            int answered = rig.Gateway.Heartbeats - before;
            bool ok = first && second && stopped && answered == 2 && link.Heartbeat.Beats == 2 && link.Heartbeat.Failures == 0
                && link.Boot.Reason == BootRecord.First && desk.LinkTaskFaults == 0;
            bool applied = link.Settings.AppliedVersion == 5 && rig.Config.Engine.PollIntervalMs == 3000 && rig.Config.Display.DisplayName == "Runner";
            report.Check("heartbeat: " + answered + " answered of " + (link.Heartbeat.Beats + link.Heartbeat.Failures) + " sent, body "
                + rig.Gateway.LastHeartbeatBytes + " bytes, boot " + link.Boot.Count + " " + link.Boot.Reason + ", " + link.Settings.DiagnosticLine()
                + " (poll " + rig.Config.Engine.PollIntervalMs + " ms)", ok && applied,
                "expected a beat at start and one after the interval, both answered and trusted, the second's settings applied");
        }

        private static bool WaitFor(HeartbeatTask heartbeat, int beats)
        {
            for (int waited = 0; waited < WaitMs; waited += 10)
            {
                if (heartbeat.Beats + heartbeat.Failures >= beats)
                {
                    return heartbeat.Beats >= beats;
                }

                Thread.Sleep(10);
            }

            return false;
        }

        /// <summary>The runner's terminal has no scanner; its display is the painter's framebuffer.</summary>
        private sealed class RunnerParts : IPartsHealth
        {
            public string Scanner()
            {
                return "absent";
            }

            public string Display()
            {
                return "ok";
            }
        }
    }
}
