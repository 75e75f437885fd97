using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Sciot.Core.Models;
using Sciot.Core.Protocol.Json;

namespace Sciot.Client.Connectivity;

/// <summary>
/// The server's HTTP API as the device uses it. Registration goes through its own client (no standard resilience
/// handler: the registration pipeline owns retries there, and stacking both would multiply attempts).
/// </summary>
public sealed class ServerApi(HttpClient http, HttpClient registration)
{
    public const string Sha256Header = "X-Model-Sha256";

    /// <summary>
    /// The API's conventions, strict about nulls: a reply with <c>"prediction": null</c> or <c>"model_name": null</c>
    /// is a malformed reply (a <see cref="JsonException"/> naming the field, a server problem the device runs locally
    /// through), not a null for the device loop to trip over later.
    /// </summary>
    private static readonly JsonSerializerOptions Replies = new(SciotJson.Options) { RespectNullableAnnotations = true };

    public Uri? BaseAddress => http.BaseAddress;

    public async Task<RegistrationResponse> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        using var response = await registration.PostAsJsonAsync("/api/registration", request, SciotJson.Options, cancellationToken);
        return await ReadJsonAsync<RegistrationResponse>(response, cancellationToken);
    }

    public async Task PostFrameAsync(string clientId, byte[] rgb565, CancellationToken cancellationToken)
    {
        using var content = Binary(rgb565);
        using var response = await http.PostAsync($"/api/device_input?client_id={Uri.EscapeDataString(clientId)}", content, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task<OffloadingDecisionResponse> GetDecisionAsync(string clientId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/offloading_layer?client_id={Uri.EscapeDataString(clientId)}", cancellationToken);
        return await ReadJsonAsync<OffloadingDecisionResponse>(response, cancellationToken);
    }

    public async Task<InferenceResultResponse> PostResultAsync(string clientId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = Binary(payload);
        using var response = await http.PostAsync($"/api/device_inference_result?client_id={Uri.EscapeDataString(clientId)}", content, cancellationToken);
        return await ReadJsonAsync<InferenceResultResponse>(response, cancellationToken);
    }

    public async Task<ModelManifest> GetManifestAsync(string modelName, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/models/{Uri.EscapeDataString(modelName)}", cancellationToken);
        var described = await ReadJsonAsync<JsonElement>(response, cancellationToken);
        if (described.ValueKind != JsonValueKind.Object || !described.TryGetProperty("manifest", out var manifest))
        {
            throw new InvalidDataException($"/api/models/{modelName}: the reply has no manifest");
        }
        return manifest.Deserialize<ModelManifest>(ModelManifest.JsonOptions)
               ?? throw new InvalidDataException($"/api/models/{modelName}: empty manifest");
    }

    public async Task<(byte[] Bytes, string? Sha256)> DownloadModelAsync(string modelName, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/models/{Uri.EscapeDataString(modelName)}/onnx", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var sha = response.Headers.TryGetValues(Sha256Header, out var values) ? values.FirstOrDefault() : null;
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken), sha);
    }

    private static ByteArrayContent Binary(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Replies, cancellationToken)
               ?? throw new InvalidDataException($"{response.RequestMessage?.RequestUri?.AbsolutePath}: empty JSON reply");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var detail = "";
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            // Any JSON is taken as it comes (an array, a number, a "detail" that is no string): the refusal is what counts.
            detail = problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var d) ? d.ToString() : problem.ToString();
        }
        catch (JsonException)
        {
            detail = response.ReasonPhrase ?? "";
        }
        var retryAfter = response.Headers.RetryAfter is { } header
            ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;
        throw new ServerRejectedException(response.StatusCode, response.RequestMessage?.RequestUri?.AbsolutePath ?? "", detail, retryAfter);
    }
}
