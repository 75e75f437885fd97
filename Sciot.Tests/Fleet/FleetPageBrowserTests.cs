using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Fleet;

/// <summary>The fleet page in headless Chromium against a server on a real socket with emulated devices registered.</summary>
public sealed class FleetPageBrowserTests
{
    [ChromiumFact]
    public async Task The_page_lists_every_client_with_its_split_and_shows_the_chosen_clients_charts()
    {
        using var server = new SciotServerFactory();
        var address = server.StartOnRealPort();
        await server.WaitForCalibrationAsync();
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Add("X-Api-Key", SciotServerFactory.ApiKey);
        var ids = new[] { "cam_north", "cam_south" };
        foreach (var id in ids)
        {
            using var device = TestDevices.Create(id, http);
            await device.StartAsync(CancellationToken.None);
            for (var i = 0; i < 3; i++)
            {
                await device.RunCycleAsync(CancellationToken.None);
            }
        }
        // One client on a forced cut: its split differs, and its cost curve is drawn from its profile, not the planner's decision.
        await http.ForceLayerAsync("cam_south", 7);
        await http.DecisionAsync("cam_south");
        var clients = await http.ClientsAsync();
        var splits = clients.ToDictionary(c => c.GetProperty("client_id").GetString()!, c => c.GetProperty("current_split").GetInt32());
        // Three cycles each: the scores of the first two server predictions came with the second and third results.
        var quality = clients.ToDictionary(c => c.GetProperty("client_id").GetString()!, c =>
        {
            var window = c.GetProperty("detection_quality").GetProperty("window");
            Assert.Equal(2, window.GetProperty("evaluated_frames").GetInt64());
            return FormattableString.Invariant($"{window.GetProperty("precision").GetDouble():F2} / {window.GetProperty("recall").GetDouble():F2}");
        });
        Assert.Equal(7, splits["cam_south"]);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium.Find(), Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1200 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(address.ToString());

        await page.WaitForFunctionAsync("n => document.querySelectorAll('#clients tbody tr').length === n", ids.Length);
        var rows = await page.EvalOnSelectorAllAsync<string[][]>("#clients tbody tr",
            "rows => rows.map(r => [r.querySelector('.client-id').textContent, r.querySelector('.split').textContent, r.querySelector('.quality').textContent])");
        Assert.Equal(ids, rows.Select(r => r[0]).Order());
        Assert.All(rows, r => Assert.Equal(splits[r[0]].ToString(), r[1]));
        Assert.All(rows, r => Assert.Equal(quality[r[0]], r[2]));
        var models = await page.EvalOnSelectorAllAsync<string[]>("#models tbody tr", "rows => rows.map(r => r.dataset.model)");
        Assert.Equal(["fomo_96x96", "mobilenet_lite"], models.Order());

        // The first client is chosen by default; clicking the other loads its three PNGs.
        await page.ClickAsync("#clients tbody tr[data-client-id='cam_south']");
        Assert.Equal("cam_south", await page.TextContentAsync("#detail-id"));
        var sizes = await WaitForImagesAsync(page, "cam_south");
        Assert.Equal([(400, 400), (640, 400), (640, 400)], sizes);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "sciot-fleet-page-test.png"), FullPage = true });
    }

    /// <summary>Waits until the detail images of <paramref name="clientId"/> are decoded; returns their natural sizes.</summary>
    private static async Task<(int, int)[]> WaitForImagesAsync(IPage page, string clientId)
    {
        const string images = "#img-frame, #img-cost, #img-layers";
        await page.WaitForFunctionAsync(
            "([selector, id]) => [...document.querySelectorAll(selector)].every(i => i.src.includes('/' + id + '/') && i.complete && i.naturalWidth > 0)",
            new object[] { images, clientId });
        var sizes = await page.EvalOnSelectorAllAsync<int[][]>(images, "imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])");
        return [.. sizes.Select(s => (s[0], s[1]))];
    }
}
