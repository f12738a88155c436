using System.Security.Cryptography;

namespace SyncServer.Tests.Shared;

/// <summary>What a directory holds, to assert that a refused start left it untouched.</summary>
internal static class DirectorySnapshot
{
    /// <summary>Every file below <paramref name="directory"/> with its length, last write time and content hash; empty if
    /// the directory does not exist.</summary>
    public static List<string> Of(string directory) =>
        !Directory.Exists(directory)
            ? []
            : [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(f => $"{Path.GetRelativePath(directory, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O} "
                    + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))))];
}
