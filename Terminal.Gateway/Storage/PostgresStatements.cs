using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Npgsql;

namespace Terminal.Gateway.Storage;

/// <summary>
/// The stores write SQL once for both providers, with named parameters (<c>@name</c>) and several statements in one
/// command. Npgsql runs such a command by parsing and rewriting its text on every execution (statements split,
/// <c>@name</c> turned into <c>$1</c>): about a tenth of the gateway's allocations and CPU on the pay path. This does
/// the same rewriting once per SQL text and runs the statements as an <see cref="NpgsqlBatch"/> of positional
/// statements, which Npgsql sends as they are: one round trip, one implicit transaction, the same results. The batches
/// are kept and run again with new values (<see cref="Plan"/>).
/// Texts this cannot rewrite safely (dollar quoting) are left to Npgsql.
/// </summary>
internal static class PostgresStatements
{
    /// <summary>Most SQL texts remembered; the stores have a few dozen, so this bound is never reached in practice.</summary>
    private const int MaxCached = 1000;

    private static readonly ConcurrentDictionary<string, Plan?> Plans = new(StringComparer.Ordinal);

    /// <summary>One statement: its positional text and the names of its parameters in $1, $2, ... order.</summary>
    internal sealed record Statement(string Sql, string[] Parameters);

    /// <summary>
    /// The statements of one SQL text and the batches made for it that are not in use. A batch, its commands and their
    /// parameters are made once and run again with the next call's values (Npgsql re-binds a parameter whose value
    /// changes type, and re-resolves types for another data source), instead of some sixty parameter objects per relayed
    /// call. A batch whose run failed is dropped, never reused.
    /// </summary>
    internal sealed class Plan(Statement[] statements)
    {
        /// <summary>Idle batches kept per text: more than the requests that run one text at once on a pool of 20.</summary>
        private const int MaxIdle = 64;

        private readonly ConcurrentQueue<NpgsqlBatch> _idle = new();
        private int _idleCount;

        /// <summary>Per statement and parameter, where the last call's values had it: the callers of one text pass their
        /// values in one order, so the name is found at once instead of by a search (a batch of 18 values made over 300
        /// name comparisons a run). A stale position is only a miss; writes from concurrent runs are whole ints.</summary>
        private readonly int[][] _positions = Array.ConvertAll(statements, s => new int[s.Parameters.Length]);

        public Statement[] Statements { get; } = statements;

        /// <summary>Idle batches now (tests).</summary>
        internal int IdleCount => Volatile.Read(ref _idleCount);

        public NpgsqlBatch Rent(NpgsqlConnection connection, DbTransaction? tx, (string Name, object? Value)[] parameters)
        {
            NpgsqlBatch? batch = null;
            if (_idle.TryDequeue(out var idle))
            {
                Interlocked.Decrement(ref _idleCount);
                if (Fits(idle, parameters)) batch = idle;
                else idle.Dispose();
            }
            batch ??= NewBatch();
            batch.Connection = connection;
            batch.Transaction = (NpgsqlTransaction?)tx;
            for (int s = 0; s < Statements.Length; s++)
            {
                var names = Statements[s].Parameters;
                var bound = batch.BatchCommands[s].Parameters;
                for (int p = 0; p < names.Length; p++)
                {
                    var slot = (Slot)bound[p];
                    object? value = ValueOf(parameters, names[p], ref _positions[s][p]);
                    Bind(slot, value);
                    slot.Kind = KindOf(value) ?? slot.Kind;
                }
            }
            return batch;
        }

        private NpgsqlBatch NewBatch()
        {
            var batch = new NpgsqlBatch();
            foreach (var statement in Statements)
            {
                var command = new NpgsqlBatchCommand(statement.Sql);
                foreach (string _ in statement.Parameters) command.Parameters.Add(new Slot());
                batch.BatchCommands.Add(command);
            }
            return batch;
        }

        /// <summary>
        /// Whether every value is of the kind its slot had before (or either is null, which goes with any type). A kept
        /// batch is prepared on the server once it ran twice on a connection (automatic preparation), and Npgsql runs it
        /// again with the parameter types it was prepared with, whatever the new values are: a number would go to a
        /// slot prepared as text as its binary bytes. A value of another kind gets a new batch, whose statements Npgsql
        /// checks against the prepared ones.
        /// </summary>
        private bool Fits(NpgsqlBatch batch, (string Name, object? Value)[] parameters)
        {
            for (int s = 0; s < Statements.Length; s++)
            {
                var names = Statements[s].Parameters;
                var bound = batch.BatchCommands[s].Parameters;
                for (int p = 0; p < names.Length; p++)
                {
                    var had = ((Slot)bound[p]).Kind;
                    var kind = KindOf(ValueOf(parameters, names[p], ref _positions[s][p]));
                    if (had != null && kind != null && had != kind) return false;
                }
            }
            return true;
        }

        /// <summary>Back to the idle batches after a run that completed (its reader disposed); the values are let go.</summary>
        public void Return(NpgsqlBatch batch)
        {
            batch.Connection = null;
            batch.Transaction = null;
            // Index loops: the collections' enumerators would be allocated (boxed) on every return.
            var commands = batch.BatchCommands;
            for (int s = 0; s < commands.Count; s++)
            {
                var parameters = commands[s].Parameters;
                for (int p = 0; p < parameters.Count; p++) parameters[p].Value = DBNull.Value;
            }
            if (Interlocked.Increment(ref _idleCount) <= MaxIdle) _idle.Enqueue(batch);
            else
            {
                Interlocked.Decrement(ref _idleCount);
                batch.Dispose();
            }
        }

        public async Task<int> ExecuteNonQueryAsync(NpgsqlConnection connection, DbTransaction? tx, (string, object?)[] parameters)
        {
            var batch = Rent(connection, tx, parameters);
            int affected;
            try
            {
                affected = await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch
            {
                await batch.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            Return(batch);
            return affected;
        }

        /// <summary>Runs the batch and hands every row of every result set that has columns to <paramref name="read"/>
        /// before the batch is reused. The rows are read here, not in a helper: each async method between the store and
        /// Npgsql costs a state machine (and a delegate) per round trip.</summary>
        public async Task ReadAsync(NpgsqlConnection connection, DbTransaction? tx, (string, object?)[] parameters, Action<DbDataReader> read)
        {
            var batch = Rent(connection, tx, parameters);
            try
            {
                await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
                do
                {
                    if (reader.FieldCount == 0) continue;
                    while (await reader.ReadAsync().ConfigureAwait(false)) read(reader);
                }
                while (await reader.NextResultAsync().ConfigureAwait(false));
            }
            catch
            {
                await batch.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            Return(batch);
        }
    }

    /// <summary>The plan of <paramref name="sql"/>, or null when the text is left to Npgsql.</summary>
    internal static Plan? For(string sql)
    {
        if (Plans.TryGetValue(sql, out var plan)) return plan;
        var statements = Rewrite(sql);
        plan = statements == null ? null : new Plan(statements);
        if (Plans.Count < MaxCached) plan = Plans.GetOrAdd(sql, plan);
        return plan;
    }

    /// <summary>Sets a parameter's value and type; a <see cref="Utf8Text"/> goes as text from its bytes (Npgsql would send
    /// a byte array as bytea unless told the type). Any other value takes the type Npgsql infers from it: the parameter
    /// may be a reused batch's whose previous value was a <see cref="Utf8Text"/>, and a type left from it would send a
    /// byte array as text, and refuse a number.</summary>
    internal static void Bind(NpgsqlParameter parameter, object? value)
    {
        if (value is Utf8Text text)
        {
            parameter.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
            parameter.Value = text.Bytes;
        }
        else
        {
            parameter.ResetDbType();
            parameter.Value = value ?? DBNull.Value;
        }
    }

    /// <summary>A parameter of a kept batch, with the kind of value it was given last (null until a non-null one).</summary>
    private sealed class Slot : NpgsqlParameter
    {
        public Type? Kind;
    }

    /// <summary>The CLR type a value is sent from; a <see cref="Utf8Text"/> is text, as a string is; null for no value.</summary>
    private static Type? KindOf(object? value) => value switch
    {
        null or DBNull => null,
        Utf8Text => typeof(string),
        _ => value.GetType(),
    };

    private static object? ValueOf((string Name, object? Value)[] parameters, string name, ref int position)
    {
        int at = position;
        if ((uint)at < (uint)parameters.Length && parameters[at].Name == name) return parameters[at].Value;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Name != name) continue;
            position = i;
            return parameters[i].Value;
        }
        throw new ArgumentException($"SQL parameter @{name} has no value", nameof(parameters));
    }

    /// <summary>
    /// Splits at top-level semicolons and numbers each statement's named parameters from $1 in order of first use,
    /// skipping string literals ('...'), quoted identifiers ("...") and comments. Null for dollar-quoted text.
    /// </summary>
    internal static Statement[]? Rewrite(string sql)
    {
        var statements = new List<Statement>();
        var text = new StringBuilder(sql.Length);
        var names = new List<string>();
        int i = 0;
        while (i < sql.Length)
        {
            char c = sql[i];
            if (c == '\'' || c == '"')
            {
                int end = sql.IndexOf(c, i + 1);
                // A doubled quote inside is an escaped quote: the literal goes on.
                while (end >= 0 && end + 1 < sql.Length && sql[end + 1] == c) end = sql.IndexOf(c, end + 2);
                if (end < 0) return null;
                text.Append(sql, i, end + 1 - i);
                i = end + 1;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                int end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                int end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                i = end + 2;
                text.Append(' ');
            }
            else if (c == '$')
            {
                return null;
            }
            else if (c == '@' && i + 1 < sql.Length && IsNameStart(sql[i + 1]))
            {
                int start = ++i;
                while (i < sql.Length && IsNamePart(sql[i])) i++;
                string name = sql[start..i];
                int index = names.IndexOf(name);
                if (index < 0)
                {
                    names.Add(name);
                    index = names.Count - 1;
                }
                text.Append('$').Append(index + 1);
            }
            else if (c == ';')
            {
                Finish(statements, text, names);
                i++;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }
        Finish(statements, text, names);
        return statements.ToArray();
    }

    private static void Finish(List<Statement> statements, StringBuilder text, List<string> names)
    {
        string statement = text.ToString().Trim();
        if (statement.Length > 0) statements.Add(new Statement(statement, names.ToArray()));
        text.Clear();
        names.Clear();
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
