using System.Net;
using Polly;
using Polly.Fallback;
using Polly.Retry;
using Polly.Timeout;
using Sciot.Client.Device;

namespace Sciot.Client.Connectivity;

/// <summary>
/// Registration as a Polly v8 pipeline: fallback (outermost) → retry (exponential backoff with jitter, bounded) →
/// per-attempt timeout. When every attempt fails the fallback yields the default model in local-only mode, so the
/// device keeps working without a server.
/// </summary>
public sealed class RegistrationPipeline
{
    private readonly ResiliencePipeline<RegistrationOutcome> _pipeline;
    private int _attempts;

    public RegistrationPipeline(RegistrationOptions options, string fallbackModel, ILogger logger, int? maxRetriesOverride = null)
    {
        var transient = new PredicateBuilder<RegistrationOutcome>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<ServerRejectedException>(e => e.IsServerError || e.Status == HttpStatusCode.TooManyRequests);
        var retries = maxRetriesOverride ?? options.MaxRetries;
        var builder = new ResiliencePipelineBuilder<RegistrationOutcome>()
            .AddFallback(new FallbackStrategyOptions<RegistrationOutcome>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                                                            && !(e is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                FallbackAction = args => Outcome.FromResultAsValueTask(RegistrationOutcome.LocalOnly(fallbackModel, Describe(args.Outcome.Exception!))),
            });
        // Polly refuses a retry strategy with zero attempts; a single-shot pipeline (the reconnect probe) has none.
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<RegistrationOutcome>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(options.BaseDelaySeconds),
                OnRetry = args =>
                {
                    logger.LogInformation("Registration attempt {Attempt} failed ({Reason}); retrying in {Delay:F2} s",
                        args.AttemptNumber + 1, Describe(args.Outcome.Exception), args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            });
        }
        _pipeline = builder.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds)).Build();
    }

    /// <summary>Attempts made so far (first tries and retries), across calls.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public async Task<RegistrationOutcome> RegisterAsync(Func<CancellationToken, Task<Sciot.Core.Protocol.Json.RegistrationResponse>> register,
        CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async token =>
        {
            Interlocked.Increment(ref _attempts);
            return RegistrationOutcome.Success(await register(token));
        }, cancellationToken);

    public static string Describe(Exception? e) => e switch
    {
        null => "unknown error",
        TimeoutRejectedException t => $"no answer within {t.Timeout.TotalSeconds:F1} s",
        HttpRequestException h => h.HttpRequestError == HttpRequestError.Unknown ? h.Message : $"{h.HttpRequestError}: {h.Message}",
        _ => e.Message,
    };
}
