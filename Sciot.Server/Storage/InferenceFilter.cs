namespace Sciot.Server.Storage;

/// <summary>Which inference records an export or summary covers; every part is optional (null = no restriction). Times are inclusive.</summary>
public sealed record InferenceFilter(string? ClientId = null, string? ModelName = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public static readonly InferenceFilter All = new();

    /// <summary>Whether the record is selected; the same rules as <see cref="ToSql"/>, for stores without SQL.</summary>
    public bool Matches(InferenceRecord record) =>
        Selects(record.ClientId, record.ModelName)
        && (From is null || record.Time >= From)
        && (To is null || record.Time <= To);

    /// <summary>Whether the filter admits this client and model (the time range aside): for totals kept per client and model.</summary>
    public bool Selects(string clientId, string modelName) =>
        (ClientId is null || clientId == ClientId) && (ModelName is null || modelName == ModelName);

    /// <summary>Whether the filter has no time range, so totals kept per client and model answer it.</summary>
    public bool IsTimeless => From is null && To is null;

    /// <summary>The WHERE clause and its parameters. Times are stored as UTC round-trip text of fixed width, so text order is time order.</summary>
    public (string Where, IReadOnlyList<(string Name, object Value)> Parameters) ToSql()
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object)>();
        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                conditions.Add(condition);
                parameters.Add((name, value));
            }
        }
        Add("client_id = $client", "$client", ClientId);
        Add("model_name = $model", "$model", ModelName);
        Add("time >= $from", "$from", From?.ToUniversalTime().ToString("O"));
        Add("time <= $to", "$to", To?.ToUniversalTime().ToString("O"));
        return (conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions), parameters);
    }
}
