using Terminal.Gateway.Storage;
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
}
