using Microsoft.Playwright;
using Xunit;

namespace Terminal.Tests.Browser;

/// <summary>
/// Reading a rendered page the way a person does: the text they see (whitespace collapsed, hidden text left out) and
/// links followed by their visible name, so a test fails when the words or the link a person would use are missing.
/// </summary>
public static class PageReading
{
    /// <summary>The visible text of the first element matching <paramref name="selector"/>, runs of whitespace as one space.</summary>
    public static async Task<string> TextAsync(IPage page, string selector = "body") =>
        Collapse(await page.Locator(selector).First.InnerTextAsync());

    /// <summary>The visible text of every element matching <paramref name="selector"/>, in document order.</summary>
    public static async Task<IReadOnlyList<string>> TextsAsync(IPage page, string selector) =>
        (await page.Locator(selector).AllInnerTextsAsync()).Select(Collapse).ToList();

    /// <summary>The names of the page's links as assistive technology reads them, with where they lead.</summary>
    public static async Task<IReadOnlyList<(string Name, string? Href)>> LinksAsync(IPage page)
    {
        var links = page.GetByRole(AriaRole.Link);
        var found = new List<(string, string?)>();
        for (int i = 0, n = await links.CountAsync(); i < n; i++)
        {
            var link = links.Nth(i);
            found.Add((Collapse(await link.InnerTextAsync()), await link.GetAttributeAsync("href")));
        }
        return found;
    }

    /// <summary>
    /// Clicks the one link named exactly <paramref name="name"/> and waits for the page it leads to; fails when no link,
    /// or more than one, has that name, or when the answer is not a success (2xx).
    /// </summary>
    public static async Task<IResponse> FollowLinkAsync(IPage page, string name)
    {
        var link = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = name, Exact = true });
        int count = await link.CountAsync();
        Assert.True(count == 1, $"expected one link named \"{name}\" on {page.Url}, found {count}");
        string target = await link.EvaluateAsync<string>("a => a.href");
        var response = await page.RunAndWaitForResponseAsync(() => link.ClickAsync(),
            r => r.Request.IsNavigationRequest && r.Request.Frame == page.MainFrame && r.Url == target);
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.True(response.Ok, $"following \"{name}\" answered {response.Status} for {response.Url}");
        return response;
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
