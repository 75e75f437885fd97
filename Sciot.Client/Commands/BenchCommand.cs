namespace Sciot.Client.Commands;

public static class BenchCommand
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(0);
}
