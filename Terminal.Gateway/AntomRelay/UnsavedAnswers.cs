using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// Records of device requests the database could not take when the answer was given (docs/gateway.md, "Database
/// outages"): a completion (the answer, the upstream outcome and the fact it proves) or a release (nothing was sent).
/// Each is tried at once; if the database is unavailable it is kept in memory and stored as soon as the database
/// answers again (tried every half second), so an exact retry after the outage gets the real outcome. A copy of the
/// request arriving meanwhile on this instance is answered from here (<see cref="AnswerFor"/>). Should the process die
/// before, the record is still pending with its upstream attempt on record, and the resolver settles it by inquiry.
/// </summary>
public sealed class UnsavedAnswers(GatewayStore store, ReplayWaiters waiters, GatewaySettings settings, Resolver resolver, ILogger<UnsavedAnswers> log)
    : BackgroundService
{
    /// <summary>Most records kept; beyond that the oldest is given up (to the resolver) and logged.</summary>
    public const int Capacity = 100_000;

    private const int MaxFailures = 5;
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, Write> _byTransaction = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _answerByReplayKey = new(StringComparer.Ordinal);

    private sealed record Write(string TransactionId, string ReplayKey, TransactionCompletion? Completion, StateFact? Fact, string? ReleaseDetail, long At)
    {
        public int Failures { get; set; }
    }

    /// <summary>How many records wait for the database.</summary>
    public int Count => _byTransaction.Count;

    /// <summary>Stores a completion now (returning what it did), or keeps it for later (returning null).</summary>
    public Task<Completion?> CompleteAsync(string transactionId, string replayKey, TransactionCompletion completion, StateFact? fact) =>
        SaveAsync(new Write(transactionId, replayKey, completion, fact, null, Now));

    /// <summary>Releases a request that never reached Antom (its replay key is deleted), now or later.</summary>
    public Task ReleaseAsync(string transactionId, string replayKey, string detail) => SaveAsync(new Write(transactionId, replayKey, null, null, detail, Now));

    /// <summary>Keeps a release for the database without trying it now (the database just failed this request): stored
    /// with the next round of kept records. Releasing a request that was never recorded changes nothing.</summary>
    public void KeepRelease(string transactionId, string replayKey, string detail)
    {
        var write = new Write(transactionId, replayKey, null, null, detail, Now);
        if (_byTransaction.Count >= Capacity && _byTransaction.Values.MinBy(w => w.At) is { } oldest) GiveUp(oldest);
        _byTransaction[transactionId] = write;
    }

    /// <summary>The answer of a completion still waiting for the database, by replay key; null if there is none.</summary>
    public string? AnswerFor(string replayKey) => _answerByReplayKey.IsEmpty ? null : _answerByReplayKey.GetValueOrDefault(replayKey);

    private long Now => settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<Completion?> SaveAsync(Write write)
    {
        try
        {
            return await StoreAsync(write, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Keep(write, e);
            return null;
        }
    }

    private async Task<Completion?> StoreAsync(Write w, CancellationToken ct)
    {
        if (w.Completion == null)
        {
            // Copies of the request waiting in this process learn at once that nothing was sent (they answer so).
            await store.ReleaseUnsentAsync(w.TransactionId, w.ReleaseDetail!, Now, knownUnsent: true, ct).ConfigureAwait(false);
            waiters.Completed(w.ReplayKey);
            return null;
        }
        Completion done;
        try
        {
            done = await store.CompleteAsync(w.TransactionId, w.ReplayKey, w.Completion, w.Fact, Now, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (w.Fact != null && GatewayDatabase.IsConstraintViolation(e))
        {
            // The fact's Antom id collided with another row's (a concurrent writer won the unique index): the record and
            // the status are stored without the id, and the conflict is reported.
            log.LogError("transaction {TransactionId}: could not record {Subject} {RequestId}'s Antom id {AntomId}: {Error}",
                w.TransactionId, GatewayStore.SubjectName(w.Fact.Subject), w.Fact.RequestId, w.Fact.AntomId, e.Message);
            done = await store.CompleteAsync(w.TransactionId, w.ReplayKey, w.Completion, w.Fact with { AntomId = null }, Now, ct).ConfigureAwait(false);
        }
        resolver.Report(w.Fact, done.Applied);
        waiters.Completed(w.ReplayKey);
        return done;
    }

    private void Keep(Write write, Exception e)
    {
        if (_byTransaction.Count >= Capacity && _byTransaction.Values.MinBy(w => w.At) is { } oldest) GiveUp(oldest);
        _byTransaction[write.TransactionId] = write;
        if (write.Completion != null) _answerByReplayKey[write.ReplayKey] = write.Completion.ResponseBody;
        log.LogWarning("the database did not take the record of transaction {TransactionId} ({Error}); kept, stored when the database is back", write.TransactionId, e.Message);
    }

    private void GiveUp(Write oldest)
    {
        Forget(oldest);
        log.LogError("more than {Capacity} answers wait for the database: transaction {TransactionId}'s is given up (the resolver settles it)", Capacity, oldest.TransactionId);
    }

    private void Forget(Write write)
    {
        _byTransaction.TryRemove(new KeyValuePair<string, Write>(write.TransactionId, write));
        _answerByReplayKey.TryRemove(write.ReplayKey, out _);
    }

    /// <summary>Stores what waits, oldest first, until the database refuses again; true when nothing is left.</summary>
    internal async Task<bool> FlushAsync(CancellationToken ct)
    {
        foreach (var write in _byTransaction.Values.OrderBy(w => w.At))
        {
            try
            {
                await StoreAsync(write, ct).ConfigureAwait(false);
                Forget(write);
            }
            catch (Exception e) when (GatewayDatabase.IsUnavailable(e))
            {
                return false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (++write.Failures < MaxFailures) continue;
                Forget(write);
                log.LogError(e, "the record of transaction {TransactionId} could not be stored {Failures} times; given up (the resolver settles it)", write.TransactionId, MaxFailures);
            }
        }
        if (_byTransaction.IsEmpty) return true;
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RetryEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (_byTransaction.IsEmpty) continue;
            int before = _byTransaction.Count;
            try
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "storing kept records of device requests failed; will retry");
            }
            if (before > _byTransaction.Count) log.LogInformation("stored {Count} kept record(s) of device requests; {Left} left", before - _byTransaction.Count, _byTransaction.Count);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_byTransaction.IsEmpty) return;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await FlushAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        if (!_byTransaction.IsEmpty)
            log.LogError("stopping with {Count} record(s) of answered device requests not stored; the resolver settles them by inquiry", _byTransaction.Count);
    }
}
