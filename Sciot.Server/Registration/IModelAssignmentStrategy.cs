namespace Sciot.Server.Registration;

/// <summary>Chooses a model for a client among <see cref="AssignmentContext.Candidates"/> (never empty).</summary>
public interface IModelAssignmentStrategy
{
    string Name { get; }

    ModelAssignment Assign(AssignmentContext context);
}
