using SyncServer.Core.Protocol;

namespace SyncServer.Client.Cli;

/// <summary>What a refused login (LOGIN_RESULT code, docs/auth.md) means for someone at the command line.</summary>
internal static class LoginRefusal
{
    /// <summary>Whether waiting for the client's next attempt cannot help this run, so sync-client stops with exit code 1.</summary>
    public static bool IsFinal(LoginResultCode code) => Meaning(code) is not null;

    /// <summary>One line: the code, its name, the server's text when it adds something, and what to do.</summary>
    public static string Describe(LoginResultCode code, string text)
    {
        var name = Name(code);
        var said = string.IsNullOrWhiteSpace(text) || string.Equals(text, name, StringComparison.OrdinalIgnoreCase) ? "" : $": \"{text}\"";
        return $"Login refused ({(int)code} {name}{said}). {Meaning(code) ?? "The client retries."}";
    }

    private static string Name(LoginResultCode code) => code switch
    {
        LoginResultCode.CredentialsRejected => "credentials rejected",
        LoginResultCode.AuthUnreachable => "authentication unreachable",
        LoginResultCode.RequestRejected => "request rejected",
        LoginResultCode.UnsupportedDataModel => "unsupported data model",
        LoginResultCode.BadVersion => "bad protocol version",
        LoginResultCode.ClientIdTaken => "client ID taken",
        LoginResultCode.FilterVariableMissing => "filter variable missing",
        _ => code.ToString(),
    };

    private static string? Meaning(LoginResultCode code) => code switch
    {
        LoginResultCode.CredentialsRejected =>
            "The server does not accept these credentials: a wrong secret, token, user name or password, an expired token, " +
            "or a kind of credentials the server is not configured for (or not the required one).",
        LoginResultCode.AuthUnreachable =>
            "The server cannot check the credentials right now (it cannot read its JWT key URL); try again later.",
        LoginResultCode.RequestRejected =>
            "The server refuses logins from this address for now, usually after too many failed logins; try again later.",
        LoginResultCode.UnsupportedDataModel =>
            "The server accepts no schema version with this model's hash: use the model file the server runs with (--model).",
        LoginResultCode.BadVersion =>
            "The server does not speak this client's protocol version (--filter-var needs a server that speaks version 2).",
        LoginResultCode.FilterVariableMissing =>
            "The server's sync filters need a variable this run does not give (the server's text names it): " +
            "give $client.<name> with --filter-var name=value, or $auth.<claim> in the token.",
        _ => null,
    };
}
