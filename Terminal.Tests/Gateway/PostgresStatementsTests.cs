using Npgsql;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The rewriting of the stores' SQL into positional statements for PostgreSQL (<see cref="PostgresStatements"/>): split at
/// top-level semicolons only, each statement numbering its own parameters from $1 in order of first use, quoted text and
/// comments untouched, dollar quoting left to Npgsql. (Every store test on PostgreSQL runs through it as well.)
/// </summary>
public sealed class PostgresStatementsTests
{
    [Fact]
    public void Statements_are_split_and_each_numbers_its_own_parameters()
    {
        var plan = PostgresStatements.Rewrite("INSERT INTO t (a, b) VALUES (@a, @b) ON CONFLICT DO NOTHING; SELECT x FROM t WHERE b = @b AND a = @a AND c = @b")!;
        Assert.Equal(2, plan.Length);
        Assert.Equal("INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING", plan[0].Sql);
        Assert.Equal(["a", "b"], plan[0].Parameters);
        Assert.Equal("SELECT x FROM t WHERE b = $1 AND a = $2 AND c = $1", plan[1].Sql);
        Assert.Equal(["b", "a"], plan[1].Parameters);
    }

    [Fact]
    public void Quoted_text_and_comments_are_not_rewritten_or_split()
    {
        var plan = PostgresStatements.Rewrite("SELECT 'a;@b''@c;' AS \"x;@y\" -- @z; comment\n FROM t /* ; @w */ WHERE k = @k;")!;
        var statement = Assert.Single(plan);
        Assert.Equal("SELECT 'a;@b''@c;' AS \"x;@y\" \n FROM t   WHERE k = $1", statement.Sql);
        Assert.Equal(["k"], statement.Parameters);
    }

    [Fact]
    public void Names_end_at_the_first_character_that_cannot_be_part_of_one()
    {
        var statement = Assert.Single(PostgresStatements.Rewrite("SELECT CAST(@f_aid AS TEXT), @n+1, @n2")!);
        Assert.Equal("SELECT CAST($1 AS TEXT), $2+1, $3", statement.Sql);
        Assert.Equal(["f_aid", "n", "n2"], statement.Parameters);
    }

    [Theory]
    [InlineData("DO $$ BEGIN PERFORM @a; END $$")]
    [InlineData("SELECT 'unterminated @a")]
    [InlineData("SELECT 1 /* unterminated")]
    public void Text_it_cannot_rewrite_safely_is_left_to_Npgsql(string sql) => Assert.Null(PostgresStatements.Rewrite(sql));

    [Theory, PostgresProvider]
    public async Task A_batch_runs_again_with_each_calls_values_and_is_dropped_after_a_failure(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = new GatewayDatabase(DatabaseProvider.Postgres, db.ConnectionString);
        await using var connection = await database.OpenAsync();
        await Sql.ExecAsync(connection, null, "CREATE TABLE reuse (k TEXT PRIMARY KEY, v TEXT, n BIGINT)");
        const string Insert = "INSERT INTO reuse (k, v, n) VALUES (@k, @v, @n); SELECT k, v, n FROM reuse WHERE k = @k";
        var plan = PostgresStatements.For(Insert)!;

        // Values that change type between runs (null, text, integer) bind as each run gives them.
        var rows = new List<(string, string?, long?)>();
        foreach (var (k, v, n) in new (string, string?, long?)[] { ("a", null, 1), ("b", "text", null), ("c", "more", 3) })
            await Sql.ReadAsync(connection, null, Insert, [("k", k), ("v", v), ("n", n)], r => rows.Add((r.GetString(0), Sql.Text(r, 1), Sql.Long(r, 2))));
        Assert.Equal([("a", null, 1L), ("b", "text", null), ("c", "more", 3L)], rows);
        int idle = plan.IdleCount;
        Assert.True(idle >= 1, "the batch went back to the plan after each run");

        // A run the server refuses: its batch is not reused, and the next run works on the same connection.
        await Assert.ThrowsAsync<PostgresException>(() => Sql.ReadAsync(connection, null, Insert, [("k", "a"), ("v", "again"), ("n", 9L)], _ => { }));
        Assert.Equal(idle - 1, plan.IdleCount);
        rows.Clear();
        await Sql.ReadAsync(connection, null, Insert, [("k", "d"), ("v", null), ("n", null)], r => rows.Add((r.GetString(0), Sql.Text(r, 1), Sql.Long(r, 2))));
        Assert.Equal([("d", null, null)], rows);
    }

    [Theory, PostgresProvider]
    public async Task Values_are_found_by_name_whatever_order_a_caller_passes_them_in(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = new GatewayDatabase(DatabaseProvider.Postgres, db.ConnectionString);
        await using var connection = await database.OpenAsync();
        const string Select = "SELECT CAST(@a AS TEXT), CAST(@b AS TEXT); SELECT CAST(@b AS TEXT)";
        var read = new List<string>();
        // The plan remembers where each name was last time; another order (and an extra value) must not mislead it.
        foreach (var values in new (string, object?)[][] { [("a", "1"), ("b", "2")], [("b", "3"), ("a", "4")], [("x", "0"), ("a", "5"), ("b", "6")], [("a", "7"), ("b", "8")] })
            await Sql.ReadAsync(connection, null, Select, values, r => read.Add(string.Join(",", Enumerable.Range(0, r.FieldCount).Select(r.GetString))));
        Assert.Equal(["1,2", "2", "4,3", "3", "5,6", "6", "7,8", "8"], read);
        await Assert.ThrowsAsync<ArgumentException>(() => Sql.ReadAsync(connection, null, Select, [("a", "1")], _ => { }));
    }

    [Theory, PostgresProvider]
    public async Task A_reused_parameter_that_took_utf8_text_sends_each_later_value_as_its_own_type(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = new GatewayDatabase(DatabaseProvider.Postgres, db.ConnectionString);
        await using var connection = await database.OpenAsync();
        await Sql.ExecAsync(connection, null, "CREATE TABLE kinds (k TEXT PRIMARY KEY, v TEXT)");
        // One parameter slot of one cached SQL text; the value as the server received it, in its text form (bytea as \x...).
        // Twice over on one connection: the second round runs the statement prepared by the first (automatic preparation).
        const string Insert = "INSERT INTO kinds (k, v) VALUES (@k, CAST(@v AS TEXT))";
        var values = new (string, object?, string?)[]
        {
            ("1", (Utf8Text)"caf\u00e9", "caf\u00e9"), ("2", "abc"u8.ToArray(), "\\x616263"), ("3", "plain", "plain"), ("4", 42L, "42"), ("5", null, null), ("6", (Utf8Text)"again", "again"),
        };
        foreach (string round in new[] { "a", "b" })
        {
            foreach (var (k, v, _) in values) await Sql.ExecAsync(connection, null, Insert, ("k", round + k), ("v", v));
        }
        Assert.True(PostgresStatements.For(Insert)!.IdleCount >= 1, "a batch was kept");

        var rows = await Sql.QueryAsync(connection, null, "SELECT k, v FROM kinds WHERE k <> @none ORDER BY k", r => (r.GetString(0), Sql.Text(r, 1)), ("none", ""));
        Assert.Equal(new[] { "a", "b" }.SelectMany(round => values.Select(v => (round + v.Item1, v.Item3))), rows);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Text_given_as_utf8_bytes_is_stored_as_the_same_text(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = new GatewayDatabase(provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString);
        await using var connection = await database.OpenAsync();
        await Sql.ExecAsync(connection, null, "CREATE TABLE bodies (k TEXT PRIMARY KEY, body TEXT)");
        const string Text = "{\"note\":\"caf\u00e9 \u20ac5 \ud83d\ude00\",\"q\":\"it's\"}";

        // Through the reused batch (named parameters) and through a plain command (no parameters to rewrite).
        await Sql.ExecAsync(connection, null, "INSERT INTO bodies (k, body) VALUES (@k, @b)", ("k", "batch"), ("b", new Utf8Text(System.Text.Encoding.UTF8.GetBytes(Text))));
        await using (var command = Sql.Command(connection, null, "INSERT INTO bodies (k, body) VALUES (@k, @b)", ("k", "command"), ("b", (Utf8Text)Text)))
            await command.ExecuteNonQueryAsync();

        var rows = await Sql.QueryAsync(connection, null, "SELECT k, body, LENGTH(body) FROM bodies WHERE k <> @none ORDER BY k",
            r => (r.GetString(0), r.GetString(1), Sql.LongOr0(r, 2)), ("none", ""));
        Assert.Equal([("batch", Text, Text.Length - 1L), ("command", Text, Text.Length - 1L)], rows); // the emoji is one character to the database
    }
}
