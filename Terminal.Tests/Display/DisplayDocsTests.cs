using System.Text.RegularExpressions;
using Xunit;

namespace Terminal.Tests.Display;

/// <summary>
/// docs/display.md shows screens rendered by <see cref="ScreenGallery"/>; this test keeps them current.
/// After changing a screen, regenerate with <c>UPDATE_DISPLAY_DOCS=1 dotnet test --filter DisplayDocs</c>.
/// </summary>
public class DisplayDocsTests
{
    [Fact]
    public void Docs_show_the_screens_as_rendered()
    {
        string path = Path.Combine(RepoRoot(), "docs", "display.md");
        string doc = File.ReadAllText(path).Replace("\r\n", "\n");
        bool update = Environment.GetEnvironmentVariable("UPDATE_DISPLAY_DOCS") == "1";
        int shown = 0;
        foreach (var (name, draw) in ScreenGallery.Scenes)
        {
            var block = new Regex("(<!-- screen:" + Regex.Escape(name) + " -->\n```text\n)(.*?)(```\n)", RegexOptions.Singleline);
            Match match = block.Match(doc);
            if (!match.Success)
            {
                continue;
            }

            shown++;
            string rendered = Pictures.Blocks(ScreenGallery.Render(draw));
            if (update)
            {
                doc = block.Replace(doc, m => m.Groups[1].Value + rendered + m.Groups[3].Value);
            }
            else
            {
                Assert.True(rendered == match.Groups[2].Value, $"docs/display.md shows an old '{name}' screen; regenerate with UPDATE_DISPLAY_DOCS=1");
            }
        }

        if (update)
        {
            File.WriteAllText(path, doc);
        }

        Assert.True(shown >= 5, "docs/display.md should show at least five screens");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Terminal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Terminal.sln not found above " + AppContext.BaseDirectory);
    }
}
