using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Assignment;

/// <summary>Strategies chosen through configuration, each on a server of its own.</summary>
public sealed class StrategyConfigurationTests
{
    private static SciotServerFactory Server(params (string Key, string Value)[] settings) =>
        new(settings: settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    [Fact]
    public async Task Preference_strategy_gives_a_latency_client_the_model_with_the_lowest_edge_cost()
    {
        await using var factory = Server(("Sciot:Assignment:Strategy", "preference"));
        using var http = factory.CreateClient();
        await factory.WaitForCalibrationAsync();

        using var models = await http.GetAsync("/api/models");
        var fastest = (await ServerHttp.OkJsonAsync(models)).EnumerateArray().MinBy(m => m.GetProperty("edge_seconds").GetDouble())
            .GetProperty("name").GetString();
        var latency = await http.RegisterAsync("quick_1", new { preference = "latency" });
        Assert.Equal(fastest, latency.GetProperty("model_name").GetString());
        Assert.StartsWith("latency preference", latency.GetProperty("assignment_reason").GetString());

        var accuracy = await http.RegisterAsync("exact_1", new { preference = "accuracy" });
        Assert.Equal(ScriptedDevice.Fomo, accuracy.GetProperty("model_name").GetString());
    }

    [Fact]
    public async Task Least_loaded_strategy_spreads_new_clients_over_the_models()
    {
        await using var factory = Server(("Sciot:Assignment:Strategy", "least-loaded"));
        using var http = factory.CreateClient();

        var assigned = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            assigned.Add((await http.RegisterAsync($"load_{i}")).GetProperty("model_name").GetString()!);
        }
        Assert.Equal([ScriptedDevice.Fomo, ScriptedDevice.MobileNetLite, ScriptedDevice.Fomo, ScriptedDevice.MobileNetLite], assigned);
    }

    [Fact]
    public async Task Capability_rules_are_read_from_configuration()
    {
        await using var factory = Server(
            ("Sciot:Assignment:Strategy", "capability"),
            ("Sciot:Assignment:Rules:0:ClientIdPattern", "^mobile_"),
            ("Sciot:Assignment:Rules:0:Model", "mobilenet_lite"));
        using var http = factory.CreateClient();

        Assert.Equal(ScriptedDevice.MobileNetLite, (await http.RegisterAsync("mobile_1")).GetProperty("model_name").GetString());
        Assert.Equal(ScriptedDevice.Fomo, (await http.RegisterAsync("camera_1")).GetProperty("model_name").GetString());
    }

    [Fact]
    public void Unknown_strategy_stops_the_server_at_start_naming_it()
    {
        using var factory = Server(("Sciot:Assignment:Strategy", "fastest-first"));
        var error = Record.Exception(() => factory.CreateClient().Dispose());

        Assert.NotNull(error);
        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("fastest-first", messages);
        Assert.Contains("least-loaded", messages);
    }

    [Fact]
    public void Invalid_capability_pattern_stops_the_server_at_start_naming_it()
    {
        // Otherwise every registration would fail with a 500 when the rule is evaluated.
        using var factory = Server(
            ("Sciot:Assignment:Strategy", "capability"),
            ("Sciot:Assignment:Rules:0:ClientIdPattern", "^(mobile_"),
            ("Sciot:Assignment:Rules:0:Model", "mobilenet_lite"));
        var error = Record.Exception(() => factory.CreateClient().Dispose());

        Assert.NotNull(error);
        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("^(mobile_", messages);
    }

    [Fact]
    public void A_rule_naming_a_model_that_is_not_served_stops_the_server_at_start_naming_it()
    {
        using var factory = Server(
            ("Sciot:Assignment:Strategy", "capability"),
            ("Sciot:Assignment:Rules:0:ClientIdPattern", "^mobile_"),
            ("Sciot:Assignment:Rules:0:Model", "mobilenet_heavy"));
        var error = Record.Exception(() => factory.CreateClient().Dispose());

        Assert.NotNull(error);
        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("Rules[0].Model 'mobilenet_heavy' is not a served model", messages);
    }

    [Fact]
    public async Task A_pattern_that_times_out_on_an_id_does_not_apply_and_the_registration_succeeds()
    {
        // Nested quantifiers backtrack exponentially on a run of 'a' that ends in another character.
        await using var factory = Server(
            ("Sciot:Assignment:Strategy", "capability"),
            ("Sciot:Assignment:Rules:0:ClientIdPattern", "^(a+)+$"),
            ("Sciot:Assignment:Rules:0:Model", "mobilenet_lite"));
        using var http = factory.CreateClient();

        var reply = await http.RegisterAsync(new string('a', 40) + "!");

        Assert.Equal(ScriptedDevice.Fomo, reply.GetProperty("model_name").GetString());
        Assert.Equal("no capability rule matched; default model", reply.GetProperty("assignment_reason").GetString());
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        var inner = e is AggregateException a ? a.InnerExceptions : (e.InnerException is { } i ? [i] : []);
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }
}
