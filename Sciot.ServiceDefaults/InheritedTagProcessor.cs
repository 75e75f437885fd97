using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Gives a span the tag its in-process parent carries when it has none of its own. Spans that libraries start under
/// ours (the HTTP client's <c>POST /api/...</c>) are then found by the same filter as ours, e.g. <c>sciot.client_id</c>.
/// </summary>
public sealed class InheritedTagProcessor(string tag) : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (data.GetTagItem(tag) is null && data.Parent?.GetTagItem(tag) is { } value)
        {
            data.SetTag(tag, value);
        }
    }
}
