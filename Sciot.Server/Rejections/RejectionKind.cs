namespace Sciot.Server.Rejections;

/// <summary>Why the server refuses a request, in domain terms; <c>Api/</c> alone turns a kind into an HTTP status.</summary>
public enum RejectionKind
{
    /// <summary>The request cannot be read (truncated or lying payload, wrong JSON types).</summary>
    Malformed,

    /// <summary>A readable request with a value outside what is allowed (an invalid ID, an unknown model name, a layer out of range).</summary>
    Invalid,

    /// <summary>A readable request that does not fit the client's model or cut (tensor sizes, layer times, NaN).</summary>
    Unprocessable,

    /// <summary>The client is not registered.</summary>
    UnknownClient,

    /// <summary>The request was valid for a state the client is no longer in (re-assigned meanwhile, another model version).</summary>
    Conflict,
}
