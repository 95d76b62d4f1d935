using System.Text.Json;
using FeedGuard.Emulator.Faults;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>Credentials never leave the process in words: not in any log line, status or event, whatever fails.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiSecretsTests
{
    [Fact]
    public async Task FullFaultRun_NoCredentialAppearsInLogsStatusOrEvents()
    {
        var logs = new CapturingLoggerProvider();
        var seen = new List<string>();
        await using (var rig = await SmartApiRig.StartAsync(new RigSettings { Logging = logs }))
        {
            void Snapshot() => seen.Add(rig.StatusJson);
            var faults = rig.Emulator.Faults;
            Snapshot();

            long id = 0;
            await Failover.RunAsync(rig, () => id = faults.Inject(new FaultSpec(FaultKind.Drop) { Duration = TimeSpan.FromMinutes(5) }).Id, () => faults.Clear(id), TimeSpan.FromSeconds(5));
            Snapshot();
            await Failover.RunAsync(rig, () => id = faults.Inject(new FaultSpec(FaultKind.Malformed)).Id, () => faults.Clear(id), TimeSpan.FromSeconds(5));
            Snapshot();

            // Stream and REST rate limited, then REST failing, while the stream is down.
            var drop = faults.Inject(new FaultSpec(FaultKind.Drop) { Duration = TimeSpan.FromMinutes(5) });
            var limit = faults.Inject(new FaultSpec(FaultKind.RateLimit));
            await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().LastError?.Reason == DisconnectReason.RateLimited, TimeSpan.FromSeconds(5), () => rig.StatusJson);
            Snapshot();
            faults.Clear(limit.Id);
            var restError = faults.Inject(new FaultSpec(FaultKind.RestError));
            await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().LastError?.Message.Contains("HTTP 500", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(5), () => rig.StatusJson);
            Snapshot();
            faults.Clear(restError.Id);
            faults.Clear(drop.Id);

            // Finally the credentials are refused, on the handshake and on REST.
            faults.Inject(new FaultSpec(FaultKind.AuthReject));
            faults.Inject(new FaultSpec(FaultKind.Drop));
            await Eventually.UntilAsync(() => rig.State == FeedState.Error, TimeSpan.FromSeconds(10), () => rig.StatusJson);
            Snapshot();

            // The host says the credentials changed: the stream's handshake is refused too (HTTP 401 with x-error-message).
            var rejected = rig.Emulator.Counters.HandshakesRejected;
            rig.Feed.NotifyCredentialsChanged();
            await Eventually.UntilAsync(() => rig.Emulator.Counters.HandshakesRejected > rejected && rig.State == FeedState.Error, TimeSpan.FromSeconds(10), () => rig.StatusJson);
            Snapshot();

            foreach (var e in rig.Feed.GetRecentEvents().Concat(rig.Events.All()))
            {
                seen.Add(e.Describe());
                seen.Add(JsonSerializer.Serialize(e));
            }

            seen.Add(rig.Client.ToString());
            seen.Add(rig.Client.Credentials.ToString());
            seen.Add(JsonSerializer.Serialize(rig.Client));
        }

        seen.AddRange(logs.Lines);

        // The capture saw the run: connects, failovers, the rejection (a test that cannot fail is a defect).
        Assert.Contains(logs.Lines, l => l.Contains("[SmartStreamConnecting]", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("[HandshakeRejected]", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Contains("auth_rejected", StringComparison.Ordinal));
        foreach (var secret in SmartApiRig.Secrets)
        {
            var leaks = seen.Where(s => s.Contains(secret, StringComparison.Ordinal)).Take(3).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' appeared in:{Environment.NewLine}{string.Join(Environment.NewLine, leaks)}");
        }
    }
}
