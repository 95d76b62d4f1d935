using FeedGuard.Emulator.SmartApi;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.Kite;

/// <summary>Kite's error envelope and the messages the emulator sends in it (protocols §2.6).</summary>
internal static class KiteErrors
{
    public const string TokenException = "TokenException";
    public const string InputException = "InputException";
    public const string NetworkException = "NetworkException";
    public const string GeneralException = "GeneralException";

    public const string InvalidCredentials = "Incorrect `api_key` or `access_token`.";
    public const string TooManyRequests = "Too many requests";

    /// <summary>Writes <c>{"status":"error","message":…,"error_type":…}</c> with the given HTTP status.</summary>
    public static Task WriteAsync(HttpContext context, int statusCode, string message, string errorType) =>
        SmartRestEndpoint.WriteJsonAsync(context, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", "error");
            writer.WriteString("message", message);
            writer.WriteNull("data");
            writer.WriteString("error_type", errorType);
            writer.WriteEndObject();
        });
}
