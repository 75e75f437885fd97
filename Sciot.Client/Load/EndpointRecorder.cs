using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sciot.Client.Load;

/// <summary>
/// Sits under the resilience handler of the device HTTP clients and times every attempt by endpoint path: status,
/// duration, or the exception that ended it. What <see cref="LoadRun"/> reports per endpoint.
/// </summary>
public sealed class EndpointRecorder
{
    private readonly ConcurrentDictionary<string, EndpointSeries> _series = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, EndpointSeries> Series => _series;

    public DelegatingHandler CreateHandler() => new Handler(this);

    private EndpointSeries For(HttpRequestMessage request) =>
        _series.GetOrAdd($"{request.Method} {request.RequestUri?.AbsolutePath}", _ => new EndpointSeries());

    private sealed class Handler(EndpointRecorder recorder) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var series = recorder.For(request);
            var start = Stopwatch.GetTimestamp();
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                series.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds, (int)response.StatusCode);
                return response;
            }
            catch
            {
                // Refused, reset, or timed out: the attempt timeout and HttpClient.Timeout both end it by cancelling this
                // token, so a cancellation is a failure too. The run's own stop never cancels a request (devices finish
                // the cycle in flight), and a cancelled run (Ctrl+C) ends without a report.
                series.AddFailure();
                throw;
            }
        }
    }
}

/// <summary>One endpoint's attempts: durations of answered ones, counts by outcome.</summary>
public sealed class EndpointSeries
{
    private readonly Lock _lock = new();
    private readonly List<double> _ms = [];

    public long Ok { get; private set; }
    public long RateLimited { get; private set; }
    public long ErrorStatus { get; private set; }
    public long Failures { get; private set; }

    /// <summary>Answers other than 2xx and 429, and attempts that ended without an answer (refused, reset, timed out).</summary>
    public long Errors => ErrorStatus + Failures;

    /// <summary>Every attempt: answered or not.</summary>
    public long Requests
    {
        get
        {
            lock (_lock)
            {
                return _ms.Count + Failures;
            }
        }
    }

    public void Add(double ms, int status)
    {
        lock (_lock)
        {
            _ms.Add(ms);
            if (status is >= 200 and < 300)
            {
                Ok++;
            }
            else if (status == 429)
            {
                RateLimited++;
            }
            else
            {
                ErrorStatus++;
            }
        }
    }

    public void AddFailure()
    {
        lock (_lock)
        {
            Failures++;
        }
    }

    public double[] Milliseconds()
    {
        lock (_lock)
        {
            return _ms.ToArray();
        }
    }
}
