using Xunit.Abstractions;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sciot.Core.Protocol;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Hostile;

/// <summary>
/// Garbage from devices: every answer is 2xx or a 4xx ProblemDetails, never a 5xx; valid requests keep working in
/// between; the server's memory does not grow with the count. Deterministic (seeded), bounded in count and time.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261201;
    private const string ClientId = "fuzz_1";
    private readonly ScriptedDevice _device = new();

    private (byte[] V1, byte[] V2) ValidPayloads(uint messageId)
    {
        // The logits cut: one small live tensor, so truncating at every offset stays a few thousand requests.
        var frame = _device.Frame(ScriptedDevice.Fomo, 11);
        return (_device.V1(ScriptedDevice.Fomo, 57, frame, ClientId, messageId), _device.V2(ScriptedDevice.Fomo, 57, frame, messageId));
    }

    [Fact]
    public void The_payload_decoders_throw_only_PayloadFormatException_on_garbage()
    {
        var (v1, v2) = ValidPayloads(1);
        var unexpected = new List<string>();
        var bodies = new HostilePayloads(v1, v2, Seed).All().ToList();
        foreach (var (kind, body) in bodies)
        {
            foreach (var parse in new Action[] { () => ResultPayloadV1.Parse(body), () => ResultPayloadV2.Parse(body) })
            {
                try
                {
                    parse();
                }
                catch (PayloadFormatException)
                {
                }
                catch (Exception e)
                {
                    unexpected.Add($"{kind}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        Assert.True(bodies.Count >= 10_000, $"{bodies.Count} bodies");
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Take(10)));
    }

    [Fact]
    public async Task Ten_thousand_malformed_requests_get_4xx_problems_and_valid_ones_keep_succeeding()
    {
        await using var factory = new SciotServerFactory();
        using var http = factory.CreateClient();
        await http.RegisterAsync(ClientId);
        var (v1, v2) = ValidPayloads(1);
        var requests = new HostilePayloads(v1, v2, Seed).All()
            .Select(b => (b.Kind, Send: (Func<Task<HttpResponseMessage>>)(() => http.PostResultAsync(ClientId, b.Body))))
            .Concat(BadRegistrations(http)).Concat(BadClientIds(http)).ToList();
        var wrong = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        long validSent = 0, memoryAfterWarmup = 0;

        for (var i = 0; i < requests.Count; i++)
        {
            using (var response = await requests[i].Send())
            {
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                await Check(requests[i].Kind, response, wrong);
            }
            if ((i + 1) % 1000 == 0)
            {
                var (_, valid) = ValidPayloads((uint)(1_000_000 + i));
                using var ok = await http.PostResultAsync(ClientId, valid);
                Assert.True(ok.StatusCode == HttpStatusCode.OK, $"valid request after {i + 1} hostile ones: {(int)ok.StatusCode} {await ok.Content.ReadAsStringAsync()}");
                validSent++;
                if (i + 1 == 1000)
                {
                    memoryAfterWarmup = GC.GetTotalMemory(forceFullCollection: true);
                }
            }
        }
        var memoryAtEnd = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{requests.Count} hostile requests: {string.Join(", ", statuses.Select(s => $"{s.Key} x{s.Value}"))}; " +
                         $"heap {memoryAfterWarmup >> 20} -> {memoryAtEnd >> 20} MiB");

        Assert.True(requests.Count >= 10_000, $"{requests.Count} requests");
        Assert.True(wrong.Count == 0, $"{wrong.Count} wrong answers, e.g.\n{string.Join("\n", wrong.Take(10))}");
        Assert.Equal(requests.Count / 1000, validSent);
        // Nothing is kept per refused request: the heap after 10,000+ of them is within 32 MiB of the heap after 1,000.
        Assert.True(memoryAtEnd - memoryAfterWarmup < 32L << 20, $"heap grew from {memoryAfterWarmup >> 20} MiB to {memoryAtEnd >> 20} MiB");
    }

    [Fact]
    public async Task Oversized_request_lines_headers_and_bodies_get_problems_over_a_real_socket()
    {
        await using var factory = new SciotServerFactory();
        var server = factory.StartOnRealPort();
        using var http = new HttpClient { BaseAddress = server };
        await http.RegisterAsync(ClientId);

        using (var longTarget = await http.GetAsync($"/api/offloading_layer?client_id={new string('a', 20_000)}"))
        {
            await ServerHttp.AssertProblemAsync(longTarget, HttpStatusCode.RequestUriTooLong);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/offloading_layer?client_id={ClientId}"))
        {
            request.Headers.Add("X-Padding", new string('p', 40_000));
            using var bigHeaders = await http.SendAsync(request);
            await ServerHttp.AssertProblemAsync(bigHeaders, (HttpStatusCode)431);
        }
        // The server answers before the 8 MiB body is sent, and says it closes the connection.
        var tooLarge = await RawAsync(server, $"POST /api/device_inference_result?client_id={ClientId} HTTP/1.1\r\nHost: x\r\n" +
            "Content-Type: application/octet-stream\r\nContent-Length: 8388608\r\n\r\n" + new string('\0', 1000));
        Assert.StartsWith("HTTP/1.1 413", tooLarge);
        Assert.Contains("Connection: close", tooLarge);
        Assert.Contains("application/problem+json", tooLarge);
        Assert.StartsWith("HTTP/1.1 414", await RawAsync(server, $"GET /api/clients/{new string('x', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.Equal(-1, (await http.DecisionAsync(ClientId)).Layer);
    }

    private static async Task Check(string kind, HttpResponseMessage response, List<string> wrong)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }
        var type = response.Content.Headers.ContentType?.MediaType;
        if (status is < 400 or >= 500 || type != "application/problem+json")
        {
            var body = await response.Content.ReadAsStringAsync();
            wrong.Add($"{kind}: {status} {type} {body[..Math.Min(200, body.Length)]}");
        }
    }

    private static IEnumerable<(string Kind, Func<Task<HttpResponseMessage>> Send)> BadRegistrations(HttpClient http)
    {
        string[] bodies =
        [
            "", "null", "[]", "\"device\"", "5", "{", "{\"client_id\": 5}", "{\"client_id\": []}", "{\"client_id\": {}}", "{\"client_id\": true}",
            "{\"client_id\": \"\"}", "{\"client_id\": \"   \"}", $"{{\"client_id\": \"{new string('i', 65)}\"}}", $"{{\"client_id\": \"{new string('i', 60_000)}\"}}",
            "{\"client_id\": \"a\\u0000b\"}", "{\"client_id\": \"tab\\there\"}", "{\"client_id\": \"a/b\"}", "{\"client_id\": \" lead\"}",
            "{\"capabilities\": \"fast\"}", "{\"capabilities\": {\"ram_kb\": \"lots\"}}", "{\"capabilities\": {\"models\": \"fomo\"}}",
            "{\"capabilities\": {\"ram_kb\": 1e40}}", "{\"client_id\": \"x\", \"client_id\": \"y\"}",
            "{\"client_id\": " + new string('[', 3000) + new string(']', 3000) + "}", "{\"client_id\": \"ok\"" + new string(' ', 70_000) + "}",
        ];
        foreach (var body in bodies)
        {
            yield return ($"registration {body[..Math.Min(40, body.Length)]}", () => http.PostAsync("/api/registration", ServerHttp.RawJson(body)));
        }
        yield return ("registration invalid UTF-8", () => http.PostAsync("/api/registration", new ByteArrayContent([0x7B, 0xC3, 0x28, 0x7D])));
    }

    private static IEnumerable<(string Kind, Func<Task<HttpResponseMessage>> Send)> BadClientIds(HttpClient http)
    {
        string[] queries = ["", "client_id=", "client_id=%00", "client_id=%ZZ", "client_id=nobody", "client_id=a%2Fb", $"client_id={new string('q', 5000)}",
            "client_id=fuzz_1&client_id=other", "client_id=%E2%80%AE", "client_id=%20fuzz_1"];
        foreach (var query in queries)
        {
            yield return ($"frame ?{query}", () => http.PostAsync($"/api/device_input?{query}", ServerHttp.Binary(new byte[18432])));
            yield return ($"decision ?{query}", () => http.GetAsync($"/api/offloading_layer?{query}"));
            yield return ($"result ?{query}", () => http.PostAsync($"/api/device_inference_result?{query}", ServerHttp.Binary([1, 2, 3])));
        }
        foreach (var id in new[] { "nobody", "%20", new string('c', 5000), "a%2Fb" })
        {
            yield return ($"client view {id[..Math.Min(20, id.Length)]}", () => http.GetAsync($"/api/clients/{id}"));
        }
    }

    /// <summary>One raw HTTP/1.1 exchange, for requests HttpClient would not send as written.</summary>
    private static async Task<string> RawAsync(Uri server, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port).WaitAsync(TimeSpan.FromSeconds(10));
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    public void Dispose() => _device.Dispose();
}
