using Terminal.Core.Ports;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Loader.Boot;
using Terminal.Transactions;
using Terminal.Updates.Download;
using Terminal.Updates.Manifest;
using Terminal.Updates.Staging;

namespace Terminal.Updates.Link
{
    /// <summary>
    /// Downloads and stages an offered update on the transaction desk's worker, only while the desk is idle with
    /// nothing queued (docs/ota.md, "On the terminal"): the heartbeat hands it each trusted answer's offer
    /// (<see cref="Offered"/>); each turn (<see cref="Run"/>) is one range of the manifest or one
    /// <see cref="UpdateStaging.Step"/> (one range, one file's check, or the switch), so a sale accepted meanwhile
    /// waits for one range at most. A failed turn (network, storage) backs off 5 s, 10 s, ... up to 5 minutes; the
    /// staged pieces stay, so after a power cut the next offer resumes where the pieces end. An offer of the
    /// running version, of a version rolled back on this terminal, or the same offer again, changes nothing; an
    /// answer without an offer stops a download (the rollout was paused or aborted; the pieces stay).
    /// </summary>
    public sealed class UpdateTask : IDeskLinkTask, IUpdateLink
    {
        /// <summary>First wait after a failed turn; doubles up to <see cref="MaxBackoffMs"/>.</summary>
        public const int FirstBackoffMs = 5000;

        public const int MaxBackoffMs = 300000;

        private const int Idle = 0;
        private const int FetchingManifest = 1;
        private const int Staging = 2;
        private const int Staged = 3;
        private const int Refused = 4;

        private const string Downloading = "downloading";

        private readonly HttpBundleSource _source;
        private readonly ManifestAuthentication _authentication;
        private readonly IStagingFolders _folders;
        private readonly IFlashedVersions _flashed;
        private readonly BootSelector _boot;
        private readonly string _running;
        private readonly string _rolledBack;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly int _pieceBytes;
        private readonly byte[] _manifest = new byte[UpdateManifest.MaxManifestBytes];
        private readonly byte[] _mac = new byte[UpdateOffer.MacLength];

        private int _phase;
        private string _version;
        private bool _downgrade;
        private int _manifestLength;
        private UpdateStaging _staging;
        private string _reason;
        private long _nextTurnMs;
        private int _backoffMs;

        /// <param name="running">The version running now (AppVersion text).</param>
        /// <param name="rolledBack">The version this terminal last rolled back ("" for none): not taken again.</param>
        /// <param name="pieceBytes">One range and staged piece: at most the worker exchange's response capacity.</param>
        public UpdateTask(HttpBundleSource source, ManifestAuthentication authentication, IStagingFolders folders, IFlashedVersions flashed, BootSelector boot,
            string running, string rolledBack, IClock clock, ILog log, int pieceBytes)
        {
            if (source == null || authentication == null || folders == null || flashed == null || boot == null || clock == null || pieceBytes < 1)
            {
                throw new System.ArgumentException("source, authentication, folders, flashed versions, boot selector, clock and a piece size are required");
            }

            _source = source;
            _authentication = authentication;
            _folders = folders;
            _flashed = flashed;
            _boot = boot;
            _running = running;
            _rolledBack = rolledBack == null ? "" : rolledBack;
            _clock = clock;
            _log = log;
            _pieceBytes = pieceBytes;
        }

        /// <summary>A version is staged and switched: the terminal restarts at the next idle moment.</summary>
        public bool IsStaged
        {
            get { return _phase == Staged; }
        }

        /// <summary>Turns that failed (network or storage) and were retried after the backoff.</summary>
        public int Failures { get; private set; }

        /// <summary>The version offered now or last, or null.</summary>
        public string Version
        {
            get { return _version; }
        }

        /// <summary>Worker thread, after a trusted heartbeat answer.</summary>
        public void Offered(UpdateOffer offer)
        {
            if (offer == null)
            {
                if (_phase == FetchingManifest || _phase == Staging)
                {
                    Log(LogLevel.Info, "update: " + _version + " no longer offered; download stopped");
                    _phase = Idle;
                    _version = null;
                }

                return;
            }

            if (SameOffer(offer) || offer.IsVersion(_running))
            {
                return;
            }

            string version = offer.VersionText();
            System.Array.Copy(offer.Mac, _mac, UpdateOffer.MacLength);
            _downgrade = offer.Downgrade;
            _version = version;
            _staging = null;
            _manifestLength = 0;
            _backoffMs = 0;
            _nextTurnMs = _clock.MonotonicMs();
            if (version == _rolledBack)
            {
                // Taken once and rolled back here: the heartbeat reports the rollback, the operator decides.
                _phase = Idle;
                return;
            }

            _phase = FetchingManifest;
            Log(LogLevel.Info, "update: " + version + " offered");
        }

        public bool IsDue()
        {
            return (_phase == FetchingManifest || _phase == Staging) && _clock.MonotonicMs() >= _nextTurnMs;
        }

        /// <summary>One range or one step; a failure (network, storage, anything) backs off.</summary>
        public void Run(DeskLink link)
        {
            if (link.Stopping)
            {
                return;
            }

            _source.Use(link.Exchange, _version);
            try
            {
                if (_phase == FetchingManifest)
                {
                    FetchManifest();
                }
                else if (_phase == Staging)
                {
                    StagingStatus status = _staging.Step();
                    if (status == StagingStatus.Staged)
                    {
                        _phase = Staged;
                        Log(LogLevel.Info, "update: " + _version + " staged (" + _staging.StagedBytes + " bytes); restart when idle");
                    }
                    else if (status == StagingStatus.Refused)
                    {
                        Refuse(_staging.Reason);
                    }
                }

                _backoffMs = 0;
            }
            catch (System.Exception e)
            {
                // Network and storage faults (IOException) above all; any fault waits for the backoff, never a tight loop.
                Failures++;
                _backoffMs = _backoffMs == 0 ? FirstBackoffMs : _backoffMs >= MaxBackoffMs / 2 ? MaxBackoffMs : _backoffMs * 2;
                _nextTurnMs = _clock.MonotonicMs() + _backoffMs;
                Log(LogLevel.Warning, "update: " + e.Message + "; again in " + (_backoffMs / 1000) + " s");
            }
            finally
            {
                _source.Release();
            }
        }

        /// <summary>Heartbeat: what this run has to say about updates.</summary>
        public void Report(HeartbeatFacts facts)
        {
            switch (_phase)
            {
                case FetchingManifest:
                    facts.UpdateVersion = _version;
                    facts.UpdateState = Downloading;
                    facts.UpdateBytes = 0;
                    break;
                case Staging:
                    facts.UpdateVersion = _version;
                    facts.UpdateState = Downloading;
                    facts.UpdateBytes = _staging.StagedBytes;
                    break;
                case Staged:
                    facts.UpdateVersion = _version;
                    facts.UpdateState = "staged";
                    facts.UpdateBytes = _staging.StagedBytes;
                    break;
                case Refused:
                    facts.UpdateVersion = _version;
                    facts.UpdateState = "refused";
                    facts.UpdateReason = _reason;
                    break;
            }
        }

        /// <summary>One range of manifest.json; when it is whole, the staging's checks (MAC, version, requirements).</summary>
        private void FetchManifest()
        {
            int n = _source.Fetch(UpdateStaging.ManifestFile, _manifestLength, _manifest, _manifestLength, _manifest.Length - _manifestLength);
            int total = _source.TotalLength;
            if (n <= 0 || total < 0)
            {
                Refuse("manifest: the gateway has none");
                return;
            }

            if (total > _manifest.Length)
            {
                Refuse("manifest longer than " + _manifest.Length + " bytes");
                return;
            }

            _manifestLength += n;
            if (_manifestLength < total)
            {
                return;
            }

            byte[] manifest = new byte[_manifestLength];
            System.Array.Copy(_manifest, manifest, _manifestLength);
            UpdateStaging staging = new UpdateStaging(_folders.Folder(_version), _source, _boot, _pieceBytes);
            if (staging.Begin(manifest, _mac, _authentication, _running, _downgrade, _flashed) == StagingStatus.Refused)
            {
                Refuse(staging.Reason);
                return;
            }

            if (staging.Version != _version)
            {
                Refuse("manifest is of version " + staging.Version + ", the offer of " + _version);
                return;
            }

            _staging = staging;
            _phase = Staging;
        }

        private bool SameOffer(UpdateOffer offer)
        {
            if (_version == null || !offer.IsVersion(_version) || offer.Downgrade != _downgrade)
            {
                return false;
            }

            int diff = 0;
            for (int i = 0; i < UpdateOffer.MacLength; i++)
            {
                diff |= offer.Mac[i] ^ _mac[i];
            }

            return diff == 0;
        }

        private void Refuse(string reason)
        {
            _phase = Refused;
            _reason = reason.Length > HeartbeatFacts.MaxErrorLength ? reason.Substring(0, HeartbeatFacts.MaxErrorLength) : reason;
            Log(LogLevel.Warning, "update: " + _version + " refused: " + _reason);
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }
    }
}
