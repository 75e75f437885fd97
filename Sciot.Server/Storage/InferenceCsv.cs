using System.Globalization;
using System.Text;

namespace Sciot.Server.Storage;

/// <summary>The inference export's CSV: one header, RFC 4180 quoting (the prediction column is JSON with commas and quotes).</summary>
public static class InferenceCsv
{
    public const string Header = "id,time,client_id,model_name,layer,device_seconds,transfer_seconds,edge_seconds,bytes,prediction";

    public static void AppendRow(StringBuilder csv, IEnumerable<object?> values)
    {
        var first = true;
        foreach (var v in values)
        {
            var value = v is DateTimeOffset time ? time.ToString("O") : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
            csv.Append(first ? "" : ",").Append(value.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value);
            first = false;
        }
        csv.Append('\n');
    }
}
