namespace Sciot.Server.Sessions;

/// <summary>The result of a registration: the client's session as it is now, why it has its model, and whether it was known before.</summary>
public sealed record RegistrationOutcome(ClientSessionSnapshot Session, string AssignmentReason, bool Returning);
