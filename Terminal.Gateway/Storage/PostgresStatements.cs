using System.Collections.Concurrent;
using System.Text;
using Npgsql;

namespace Terminal.Gateway.Storage;

/// <summary>
/// The stores write SQL once for both providers, with named parameters (<c>@name</c>) and several statements in one
/// command. Npgsql runs such a command by parsing and rewriting its text on every execution (statements split,
/// <c>@name</c> turned into <c>$1</c>): about a tenth of the gateway's allocations and CPU on the pay path. This does
/// the same rewriting once per SQL text and runs the statements as an <see cref="NpgsqlBatch"/> of positional
/// statements, which Npgsql sends as they are: one round trip, one implicit transaction, the same results.
/// Texts this cannot rewrite safely (dollar quoting) are left to Npgsql.
/// </summary>
internal static class PostgresStatements
{
    /// <summary>Most SQL texts remembered; the stores have a few dozen, so this bound is never reached in practice.</summary>
    private const int MaxCached = 1000;

    private static readonly ConcurrentDictionary<string, Statement[]?> Plans = new(StringComparer.Ordinal);

    /// <summary>One statement: its positional text and the names of its parameters in $1, $2, ... order.</summary>
    internal sealed record Statement(string Sql, string[] Parameters);

    /// <summary>A batch for <paramref name="sql"/> with the parameters bound by name, or null when the text is left to Npgsql.</summary>
    public static NpgsqlBatch? TryBatch(NpgsqlConnection connection, System.Data.Common.DbTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        var plan = Plan(sql);
        if (plan == null) return null;
        var batch = connection.CreateBatch();
        batch.Transaction = (NpgsqlTransaction?)tx;
        foreach (var statement in plan)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            foreach (string name in statement.Parameters) command.Parameters.Add(new NpgsqlParameter { Value = ValueOf(parameters, name) ?? DBNull.Value });
            batch.BatchCommands.Add(command);
        }
        return batch;
    }

    internal static Statement[]? Plan(string sql)
    {
        if (Plans.TryGetValue(sql, out var plan)) return plan;
        plan = Rewrite(sql);
        if (Plans.Count < MaxCached) Plans.TryAdd(sql, plan);
        return plan;
    }

    private static object? ValueOf((string Name, object? Value)[] parameters, string name)
    {
        foreach (var (n, v) in parameters)
        {
            if (n == name) return v;
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
