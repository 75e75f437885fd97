using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sciot.Core.Protocol.Json;

/// <summary>The API's JSON conventions (snake_case, as the reference server's FastAPI models).</summary>
public static class SciotJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }
}
