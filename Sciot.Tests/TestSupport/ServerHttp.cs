using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sciot.Tests.TestSupport;

/// <summary>The server's HTTP API as the tests call it; replies are read as raw JSON so field names (snake_case) are checked too.</summary>
public static class ServerHttp
{
    public static async Task<JsonElement[]> ClientsAsync(this HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement[]>("/api/clients"))!;

    public static async Task ForceLayerAsync(this HttpClient operatorClient, string clientId, int? layer)
    {
        using var response = await operatorClient.PostAsJsonAsync($"/api/operator/clients/{clientId}/force_layer", new { layer });
        response.EnsureSuccessStatusCode();
    }

    public static async Task<JsonElement> RegisterAsync(this HttpClient http, string clientId, object? capabilities = null)
    {
        using var response = await http.PostAsync("/api/registration", Json(capabilities is null
            ? new Dictionary<string, object?> { ["client_id"] = clientId }
            : new Dictionary<string, object?> { ["client_id"] = clientId, ["capabilities"] = capabilities }));
        return await OkJsonAsync(response);
    }

    public static async Task<(int Layer, string Model, string Reason)> DecisionAsync(this HttpClient http, string clientId)
    {
        using var response = await http.GetAsync($"/api/offloading_layer?client_id={Uri.EscapeDataString(clientId)}");
        var json = await OkJsonAsync(response);
        return (json.GetProperty("offloading_layer_index").GetInt32(), json.GetProperty("model_name").GetString()!, json.GetProperty("reason").GetString()!);
    }

    public static Task<HttpResponseMessage> PostResultAsync(this HttpClient http, string? clientId, byte[] payload) =>
        http.PostAsync(clientId is null ? "/api/device_inference_result" : $"/api/device_inference_result?client_id={Uri.EscapeDataString(clientId)}", Binary(payload));

    public static async Task<JsonElement> PostResultOkAsync(this HttpClient http, string? clientId, byte[] payload)
    {
        using var response = await http.PostResultAsync(clientId, payload);
        return await OkJsonAsync(response);
    }

    public static async Task<JsonElement> ClientAsync(this HttpClient http, string clientId)
    {
        using var response = await http.GetAsync($"/api/clients/{Uri.EscapeDataString(clientId)}");
        return await OkJsonAsync(response);
    }

    /// <summary>
    /// The cut the planner must choose for this client now, computed here from what the server shows (the client's
    /// device-time averages and bandwidth, the model's edge time per layer and bytes sent per cut) with the planner's
    /// rule: device 0..k + bytes(k) / bandwidth + edge k+1..end, the earliest cheapest k. Also checks that the cost curve
    /// the server reports for its decision is that same curve.
    /// </summary>
    public static async Task<int> PlannedSplitAsync(this HttpClient http, string clientId)
    {
        var client = await http.ClientAsync(clientId);
        using var response = await http.GetAsync($"/api/models/{client.GetProperty("model_name").GetString()}");
        var model = await OkJsonAsync(response);
        var device = client.GetProperty("device_seconds_ema").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var edge = model.GetProperty("edge_seconds_per_layer").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var bytes = model.GetProperty("cuts").EnumerateArray().Where(c => c.GetProperty("layer").GetInt32() >= 0)
            .Select(c => c.GetProperty("live_bytes").GetInt64()).ToArray();
        // Until the device has measured an upload the server plans with its configured initial bandwidth.
        var bandwidth = client.TryGetProperty("bandwidth_bytes_per_second", out var measured) && measured.ValueKind == JsonValueKind.Number
            ? measured.GetDouble()
            : new Sciot.Server.Offloading.OffloadingOptions().InitialBandwidthBytesPerSecond;
        var costs = Enumerable.Range(0, device.Length).Select(k => device[..(k + 1)].Sum() + bytes[k] / bandwidth + edge[(k + 1)..].Sum()).ToArray();
        var reported = client.GetProperty("estimated_seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(costs.Length, reported.Length);
        for (var k = 0; k < costs.Length; k++)
        {
            Assert.Equal(costs[k], reported[k], costs[k] * 1e-9);
        }
        return Array.IndexOf(costs, costs.Min());
    }

    public static ByteArrayContent Binary(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    public static StringContent Json(object? value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Asserts 200 (showing the body otherwise) and returns the parsed JSON.</summary>
    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem reply with <paramref name="status"/> and a non-empty detail; returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), body);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), body);
        return problem;
    }

    public static string Detail(this JsonElement problem) => problem.GetProperty("detail").GetString()!;

    public static string? Field(this JsonElement problem) =>
        problem.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null;
}
