namespace Sciot.Tests.Cluster;

/// <summary>One row of the cluster's <c>inferences.csv</c>: which client, model and cut, and which replica ran the tail.</summary>
public sealed record InferenceRow(long Id, string ClientId, string ModelName, int Layer, string Replica)
{
    /// <summary>Reads the export; the prediction column is quoted JSON, so fields are split with quotes respected.</summary>
    public static IReadOnlyList<InferenceRow> Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = Fields(lines[0]);
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"no column {name} in {lines[0]}");
        var (id, client, model, layer, replica) = (Column("id"), Column("client_id"), Column("model_name"), Column("layer"), Column("replica"));
        return lines.Skip(1).Select(Fields).Select(f => new InferenceRow(long.Parse(f[id]), f[client], f[model], int.Parse(f[layer]), f[replica])).ToList();
    }

    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
