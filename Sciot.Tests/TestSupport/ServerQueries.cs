using System.Net.Http.Json;
using System.Text.Json;

namespace Sciot.Tests.TestSupport;

/// <summary>Reads the server's view of the world through its public API.</summary>
public static class ServerQueries
{
    public static async Task<JsonElement> ClientAsync(HttpClient http, string clientId) =>
        await http.GetFromJsonAsync<JsonElement>($"/api/clients/{clientId}");

    public static async Task<JsonElement[]> ClientsAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement[]>("/api/clients"))!;

    public static async Task<int> DecisionAsync(HttpClient http, string clientId) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/offloading_layer?client_id={clientId}")).GetProperty("offloading_layer_index").GetInt32();

    public static async Task ForceLayerAsync(HttpClient operatorClient, string clientId, int? layer)
    {
        using var response = await operatorClient.PostAsJsonAsync($"/api/operator/clients/{clientId}/force_layer", new { layer });
        response.EnsureSuccessStatusCode();
    }
}
