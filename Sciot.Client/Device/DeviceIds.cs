using Sciot.Core.Protocol;

namespace Sciot.Client.Device;

/// <summary>Client IDs as configured: null means random per start, as the reference's <c>client_id: null</c>.</summary>
public static class DeviceIds
{
    public static string Resolve(string? configured, int devices, int index)
    {
        var id = configured is null ? ClientIds.NewRandom() : devices == 1 ? configured : $"{configured}_{index}";
        return ClientIds.Validate(id);
    }
}
