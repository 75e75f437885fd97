namespace Sciot.Core.Protocol;

/// <summary>
/// A result payload that cannot be decoded or encoded; <see cref="Field"/> names the wire field at fault
/// so the server can tell a device exactly which part of its message is wrong.
/// </summary>
public sealed class PayloadFormatException(string field, string problem, Exception? inner = null)
    : Exception($"{field}: {problem}", inner)
{
    public string Field { get; } = field;
}
