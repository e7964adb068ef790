using System.Text.Json;
using Microsoft.Playwright;

namespace Terminal.Tests.Browser;

/// <summary>
/// Checks any page can take, measured by the browser on the rendered page: WCAG 2.2 text contrast (1.4.3: 4.5:1, or
/// 3:1 for large text) from computed colours, headings (one h1, no level skipped), a language on the html element, and
/// no horizontal scrolling at the viewport's width (1.4.10 Reflow). Each returns the problems found, empty when none.
/// </summary>
public static class PageChecks
{
    /// <summary>Every element with its own text whose contrast against its effective background is too low.</summary>
    public static async Task<IReadOnlyList<string>> ContrastProblemsAsync(IPage page) => await ListAsync(page, """
        () => {
          const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(s => parseFloat(s)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          const background = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
          const problems = [];
          for (const el of document.body.querySelectorAll('*')) {
            const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
            const style = getComputedStyle(el);
            if (!own || style.visibility === 'hidden' || style.display === 'none') continue;
            const fg = parse(style.color), bg = background(el);
            const l1 = lum(fg), l2 = lum(bg);
            const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
            const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
            const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            if (ratio < needed) problems.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '": ' + ratio.toFixed(2) + ':1 < ' + needed + ':1');
          }
          return problems;
        }
        """);

    /// <summary>One h1, heading levels that never skip one, and html lang set.</summary>
    public static async Task<IReadOnlyList<string>> StructureProblemsAsync(IPage page) => await ListAsync(page, """
        () => {
          const problems = [];
          if (!document.documentElement.lang) problems.push('html has no lang');
          const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => parseInt(h.tagName[1], 10));
          if (headings.filter(l => l === 1).length !== 1) problems.push('expected exactly one h1, found ' + headings.filter(l => l === 1).length);
          for (let i = 1; i < headings.length; i++) if (headings[i] > headings[i - 1] + 1) problems.push('heading h' + headings[i] + ' follows h' + headings[i - 1]);
          return problems;
        }
        """);

    /// <summary>Content wider than the viewport (the page would scroll sideways).</summary>
    public static async Task<IReadOnlyList<string>> ReflowProblemsAsync(IPage page) => await ListAsync(page, """
        () => document.documentElement.scrollWidth > window.innerWidth
          ? ['content is ' + document.documentElement.scrollWidth + ' px wide in a ' + window.innerWidth + ' px viewport'] : []
        """);

    public static async Task<IReadOnlyList<string>> AllProblemsAsync(IPage page) =>
        [.. await ContrastProblemsAsync(page), .. await StructureProblemsAsync(page), .. await ReflowProblemsAsync(page)];

    private static async Task<IReadOnlyList<string>> ListAsync(IPage page, string script)
    {
        var result = await page.EvaluateAsync<JsonElement>(script);
        return result.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
    }
}
