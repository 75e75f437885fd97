namespace Sciot.Core.Protocol;

/// <summary>Client IDs as the seed defines them: given, or 8 random hex characters (uuid-prefix style).</summary>
public static class ClientIds
{
    public const int MaxLength = 64;

    public static string NewRandom() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>Null when valid, otherwise what is wrong.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return "client_id is empty";
        }
        if (id.Length > MaxLength)
        {
            return $"client_id is {id.Length} characters long; at most {MaxLength} are allowed";
        }
        if (id.Any(char.IsControl))
        {
            return "client_id contains control characters";
        }
        if (id.IndexOfAny(['/', '\\']) >= 0)
        {
            // A slash would make the client unreachable as one path segment of /api/clients/{id}.
            return "client_id contains '/' or '\\'";
        }
        return id != id.Trim() ? "client_id has leading or trailing whitespace" : null;
    }

    public static string Validate(string? id) => Problem(id) is { } problem ? throw new ArgumentException(problem, nameof(id)) : id!;
}
