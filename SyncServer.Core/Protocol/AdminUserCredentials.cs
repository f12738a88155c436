using System.Text;

namespace SyncServer.Core.Protocol;

/// <summary>
/// The credentials of an <see cref="CredentialType.ObxAdminUser"/> LOGIN: an admin UI user's name and password, in the
/// protocol's <c>string</c> encoding (u32 little-endian byte length, then UTF-8):
/// <code>
/// +-----------------+-----------------+---------------------+-----------------+
/// | u32 nameLength  | name (UTF-8)    | u32 passwordLength  | password (UTF-8)|
/// +-----------------+-----------------+---------------------+-----------------+
/// </code>
/// The password travels as it is (the server checks it against the stored Identity hash): use wss://.
/// </summary>
public static class AdminUserCredentials
{
    public const int MaxNameBytes = 256;
    public const int MaxPasswordBytes = 1024;

    public static byte[] Encode(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var writer = new ProtocolWriter(16 + userName.Length + password.Length);
        writer.WriteString(userName);
        writer.WriteString(password);
        return writer.ToArray();
    }

    /// <summary>Reads the layout above; false when the bytes do not follow it or exceed the limits.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> credentials, out string userName, out string password)
    {
        userName = password = "";
        try
        {
            var reader = new ProtocolReader(credentials);
            var name = reader.ReadBytes("user name");
            var secret = reader.ReadBytes("password");
            reader.ExpectEnd("admin user credentials");
            if (name.Length is 0 or > MaxNameBytes || secret.Length > MaxPasswordBytes)
            {
                return false;
            }

            var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            userName = strict.GetString(name);
            password = strict.GetString(secret);
            return true;
        }
        catch (Exception e) when (e is ProtocolException or DecoderFallbackException)
        {
            return false;
        }
    }
}
