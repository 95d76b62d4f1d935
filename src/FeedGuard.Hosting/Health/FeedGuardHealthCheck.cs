using System.Globalization;
using FeedGuard.Failover;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FeedGuard.Hosting.Health;

/// <summary>
/// The feed's health for load balancers and orchestrators: Healthy while streaming; Degraded while
/// polling or simulating (data flows but from a lower tier) and while first connecting within
/// <see cref="FeedGuardOptions.ConnectingGracePeriod"/>; Unhealthy in error, when stopped, when
/// connecting took longer than that, or before the feed was built.
/// </summary>
internal sealed class FeedGuardHealthCheck : IHealthCheck
{
    private readonly FeedGuardGateway _gateway;
    private readonly TimeProvider _time;

    public FeedGuardHealthCheck(FeedGuardGateway gateway, TimeProvider time)
    {
        _gateway = gateway;
        _time = time;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_gateway.Feed is not { } feed)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the feed has not started"));
        }

        var status = feed.GetStreamStatus();
        var data = new Dictionary<string, object>
        {
            ["status"] = status.Status.ToString().ToLowerInvariant(),
            ["reconnect_attempts"] = status.ReconnectAttempts,
            ["demo"] = _gateway.Demo,
        };
        if (status.LastTickAge is { } age)
        {
            data["last_tick_age"] = age;
        }

        var error = status.LastError is { } e ? $" (last error {e.Reason}: {e.Message})" : "";
        var connectingFor = _time.GetUtcNow() - status.Since;
        var result = status.Status switch
        {
            FeedState.Streaming => HealthCheckResult.Healthy("streaming", data),
            FeedState.Polling => HealthCheckResult.Degraded("polling: the stream is down and REST polling serves data" + error, data: data),
            FeedState.Simulation => HealthCheckResult.Degraded("simulation: prices are simulated, not real" + error, data: data),
            FeedState.Connecting when connectingFor <= _gateway.Options.ConnectingGracePeriod => HealthCheckResult.Degraded("connecting", data: data),
            FeedState.Connecting => HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture, $"connecting for {connectingFor.TotalSeconds:0} s{error}"), data: data),
            FeedState.Error => HealthCheckResult.Unhealthy("error: no tier serves data" + error, data: data),
            _ => HealthCheckResult.Unhealthy("stopped", data: data),
        };
        return Task.FromResult(WithPublisher(result, data));
    }

    /// <summary>
    /// Ticks still reach in-process consumers while NATS is down, so a healthy feed becomes Degraded,
    /// not Unhealthy: remote consumers are behind and the buffer is filling.
    /// </summary>
    private HealthCheckResult WithPublisher(HealthCheckResult result, Dictionary<string, object> data)
    {
        if (_gateway.Publisher?.GetStatus() is not { } nats)
        {
            return result;
        }

        data["nats_connected"] = nats.Connected;
        data["nats_buffered"] = nats.Buffered;
        data["nats_overflowed"] = nats.Overflowed;
        if (nats.Connected)
        {
            return result;
        }

        var outage = string.Create(CultureInfo.InvariantCulture, $"NATS publisher disconnected from {nats.Url}: {nats.Buffered} ticks buffered, {nats.Overflowed} overflowed");
        return result.Status == HealthStatus.Healthy
            ? HealthCheckResult.Degraded(outage, data: data)
            : new HealthCheckResult(result.Status, $"{result.Description}; {outage}", result.Exception, data);
    }
}
