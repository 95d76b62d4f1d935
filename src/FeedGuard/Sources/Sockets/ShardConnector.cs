using System.Globalization;
using System.Net.WebSockets;

namespace FeedGuard.Sources.Sockets;

/// <summary>
/// Connects and subscribes the sockets of one connect concurrently, each within the connect
/// timeout. If any socket fails, the ones that succeeded are closed and the most decisive failure
/// is thrown: an auth rejection (retrying cannot help) before a rate limit (cool down) before the
/// rest, so the supervisor recovers the right way whichever socket failed first.
/// </summary>
public sealed class ShardConnector
{
    private readonly string _socketName;
    private readonly TimeSpan _timeout;
    private readonly string _timeoutKey;
    private readonly TimeProvider _time;
    private readonly Action<int, DisconnectReason, string> _connectFailed;

    /// <summary>Creates the connector.</summary>
    /// <param name="socketName">How messages name a socket, e.g. <c>Kite ticker</c> (then <c>socket 2</c>).</param>
    /// <param name="timeout">The bound on connecting and subscribing one socket.</param>
    /// <param name="timeoutKey">The configuration key of <paramref name="timeout"/>, named when it expires.</param>
    /// <param name="time">The clock for the timeout.</param>
    /// <param name="connectFailed">Told of each socket's failure (1-based index, reason, message), for logging.</param>
    public ShardConnector(string socketName, TimeSpan timeout, string timeoutKey, TimeProvider time, Action<int, DisconnectReason, string> connectFailed)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(connectFailed);
        _socketName = socketName;
        _timeout = timeout;
        _timeoutKey = timeoutKey;
        _time = time;
        _connectFailed = connectFailed;
    }

    /// <summary>Opens and subscribes <paramref name="count"/> sockets; all of them, or none.</summary>
    /// <param name="count">How many sockets.</param>
    /// <param name="open">Opens socket <c>index</c> (1-based); a failure should be a classified <see cref="FeedConnectionException"/>.</param>
    /// <param name="subscribe">Sends the socket's subscriptions.</param>
    /// <param name="describe">Describes a transport failure while subscribing, free of credentials.</param>
    /// <param name="cancellationToken">Cancels every attempt.</param>
    public async Task<T[]> ConnectAllAsync<T>(
        int count,
        Func<int, CancellationToken, Task<T>> open,
        Func<T, CancellationToken, Task> subscribe,
        Func<Exception, string> describe,
        CancellationToken cancellationToken)
        where T : class, IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(subscribe);
        ArgumentNullException.ThrowIfNull(describe);
        var attempts = new Task<T>[count];
        for (var i = 0; i < count; i++)
        {
            attempts[i] = ConnectOneAsync(i + 1, open, subscribe, describe, cancellationToken);
        }

        try
        {
            await Task.WhenAll(attempts).ConfigureAwait(false);
        }
        catch (Exception) when (attempts.Any(a => !a.IsCompletedSuccessfully))
        {
            foreach (var attempt in attempts.Where(a => a.IsCompletedSuccessfully))
            {
                await attempt.Result.DisposeAsync().ConfigureAwait(false);
            }

            var failures = attempts.Where(a => a.IsFaulted).Select(a => a.Exception!.InnerException!).ToList();
            if (MostDecisive(failures.OfType<FeedConnectionException>()) is { } classified)
            {
                throw classified;
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw failures.Count > 0 ? failures[0] : new OperationCanceledException(cancellationToken);
        }

        return attempts.Select(a => a.Result).ToArray();
    }

    /// <summary>The failure that decides recovery best: auth, then rate limiting, then the first other; null when none.</summary>
    public static FeedConnectionException? MostDecisive(IEnumerable<FeedConnectionException> failures) =>
        failures.OrderBy(Severity).FirstOrDefault();

    private static int Severity(FeedConnectionException ex) => ex.Reason switch
    {
        DisconnectReason.AuthRejected => 0,
        DisconnectReason.RateLimited => 1,
        _ => 2,
    };

    private async Task<T> ConnectOneAsync<T>(
        int index,
        Func<int, CancellationToken, Task<T>> open,
        Func<T, CancellationToken, Task> subscribe,
        Func<Exception, string> describe,
        CancellationToken cancellationToken)
        where T : class, IAsyncDisposable
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        T? socket = null;
        try
        {
            socket = await open(index, linked.Token).ConfigureAwait(false);
            await subscribe(socket, linked.Token).ConfigureAwait(false);
            return socket;
        }
        catch (FeedConnectionException ex)
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            _connectFailed(index, ex.Reason, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            var seconds = _timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw Failed(index, $"{_socketName} socket {index} did not connect and subscribe within {seconds} s ({_timeoutKey}).");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            throw Failed(index, $"{_socketName} socket {index} failed while subscribing: {describe(ex)}");
        }
        catch
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            throw;
        }
    }

    private FeedConnectionException Failed(int index, string message)
    {
        _connectFailed(index, DisconnectReason.NetworkError, message);
        return new FeedConnectionException(DisconnectReason.NetworkError, message);
    }

    private static async ValueTask DisposeQuietlyAsync<T>(T? socket)
        where T : class, IAsyncDisposable
    {
        if (socket is not null)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }
}
