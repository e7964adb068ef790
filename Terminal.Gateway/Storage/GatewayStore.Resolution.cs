using System.Data.Common;
using Terminal.Gateway.PaymentState;

namespace Terminal.Gateway.Storage;

/// <summary>The resolver's own calls to Antom (table resolution_steps).</summary>
public sealed partial class GatewayStore
{
    /// <summary>Records a step before its request is sent (upstream_outcome pending), as device requests are.</summary>
    public async Task BeginStepAsync(ResolutionStepRecord step, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null,
            "INSERT INTO resolution_steps (id, subject, request_id, transaction_id, reason, operation, request_body, started_at, upstream_outcome, instance) " +
            "VALUES (@id, @subject, @rid, @tid, @reason, @op, @body, @at, @outcome, @inst)",
            ("id", step.Id), ("subject", step.Subject), ("rid", step.RequestId), ("tid", step.TransactionId), ("reason", step.Reason), ("op", step.Operation),
            ("body", step.RequestBody), ("at", step.StartedAt), ("outcome", UpstreamOutcomes.Pending), ("inst", step.Instance)).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes a step with Antom's answer and applies what it proved (<paramref name="fact"/>, forward-only) in the same
    /// database transaction; returns the row's state after the fact (null without a fact or row).
    /// </summary>
    public async Task<AppliedFact?> CompleteStepAsync(string stepId, string outcome, string? responseBody, string? resultStatus, string? resultCode, StateFact? fact,
        long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var parameters = new List<(string, object?)>(14)
        {
            ("id", stepId), ("outcome", outcome), ("rb", responseBody), ("rs", resultStatus), ("rc", resultCode), ("aid", fact?.AntomId), ("st", fact?.Status), ("now", nowMs),
        };
        if (fact != null) parameters.AddRange(FactParameters(fact, nowMs));
        AppliedFact? applied = null;
        await ApplyingFactAsync(connection,
            "UPDATE resolution_steps SET upstream_outcome = @outcome, response_body = @rb, result_status = @rs, result_code = @rc, learnt_antom_id = @aid, " +
            "learnt_status = @st, completed_at = @now WHERE id = @id" +
            (fact == null ? "" : "; " + FactSql(fact)),
            r => applied = ReadApplied(r, fact!), null, parameters.ToArray()).ConfigureAwait(false);
        return applied;
    }

    /// <summary>The steps taken for one payment or refund, oldest first.</summary>
    public async Task<IReadOnlyList<ResolutionStepRecord>> StepsOfAsync(StateSubject subject, string requestId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, StepSelect + " WHERE subject = @s AND request_id = @rid ORDER BY started_at, id", ReadStep,
            ("s", SubjectName(subject)), ("rid", requestId)).ConfigureAwait(false);
    }

    public static string SubjectName(StateSubject subject) => subject == StateSubject.Payment ? "payment" : "refund";

    private const string StepSelect =
        "SELECT id, subject, request_id, transaction_id, reason, operation, request_body, started_at, upstream_outcome, response_body, result_status, result_code, " +
        "learnt_antom_id, learnt_status, completed_at, instance FROM resolution_steps";

    private static ResolutionStepRecord ReadStep(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Sql.Text(r, 3), r.GetString(4), r.GetString(5), r.GetString(6), Sql.LongOr0(r, 7), r.GetString(8),
        Sql.Text(r, 9), Sql.Text(r, 10), Sql.Text(r, 11), Sql.Text(r, 12), Sql.Text(r, 13), Sql.Long(r, 14), r.GetString(15));
}
