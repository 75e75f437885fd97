using Sciot.Server.Rejections;
using Sciot.Server.Sessions;

namespace Sciot.Server.Api;

/// <summary>
/// Finds the client a device request belongs to: <c>?client_id=</c>; else, for unmodified reference firmware, the
/// device id inside a v1 payload; else the single client registered from the request's remote address.
/// </summary>
public sealed class ClientResolver(IClientSessions sessions)
{
    public async Task<ClientSessionSnapshot> ResolveAsync(HttpContext context, string? clientId, string? payloadDeviceId = null)
    {
        if (!string.IsNullOrEmpty(clientId))
        {
            return await sessions.FindAsync(clientId) ?? throw RequestRejectedException.UnknownClient(clientId);
        }
        if (!string.IsNullOrEmpty(payloadDeviceId) && await sessions.FindAsync(payloadDeviceId) is { } byDevice)
        {
            return byDevice;
        }
        var address = context.Connection.RemoteIpAddress?.ToString();
        var fromAddress = address is null ? [] : (await sessions.ListAsync()).Where(c => c.RemoteAddress == address).Take(2).ToList();
        return fromAddress.Count == 1
            ? fromAddress[0]
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, "client_id required",
                fromAddress.Count == 0
                    ? "no client_id query parameter and no client registered from this address; register and pass ?client_id="
                    : $"no client_id query parameter and several clients registered from {address}; pass ?client_id=",
                "client_id");
    }
}
