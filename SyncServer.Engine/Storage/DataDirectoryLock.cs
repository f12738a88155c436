using System.Globalization;

namespace SyncServer.Engine.Storage;

// Singleton, thread-safe: immutable once acquired; Dispose may be called more than once.

/// <summary>
/// Exclusive ownership of a data directory for the life of the process, so two sync-server processes never open
/// the same database. Holds <c>sync-server.lock</c> open with <see cref="FileShare.None"/> (an exclusive
/// <c>flock</c> on Linux, a share lock on Windows) and writes the process id to <c>sync-server.pid</c>, which a
/// second process can read to say who holds the directory.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string LockFileName = "sync-server.lock";
    public const string PidFileName = "sync-server.pid";

    private readonly FileStream _lockFile;
    private int _disposed;

    private DataDirectoryLock(string directoryPath, FileStream lockFile)
    {
        DirectoryPath = directoryPath;
        _lockFile = lockFile;
    }

    /// <summary>The full path of the locked directory.</summary>
    public string DirectoryPath { get; }

    public string LockFilePath => Path.Combine(DirectoryPath, LockFileName);

    public string PidFilePath => Path.Combine(DirectoryPath, PidFileName);

    /// <summary>
    /// Creates <paramref name="directory"/> if missing, checks that it is writable and locks it.
    /// </summary>
    /// <exception cref="StorageException">
    /// The directory cannot be created or written, or another process (or another lock in this process) holds it.
    /// </exception>
    public static DataDirectoryLock Acquire(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var fullPath = Path.GetFullPath(directory);
        try
        {
            Directory.CreateDirectory(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new StorageException($"Cannot create database directory '{fullPath}': {ex.Message}", ex);
        }

        CheckWritable(fullPath);

        var lockPath = Path.Combine(fullPath, LockFileName);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsHeldByOther(lockPath))
        {
            throw new StorageException(
                $"Database directory '{fullPath}' is in use by another sync-server process (pid {ReadPid(fullPath)}); "
                + "stop it or use another --db-directory",
                ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"Cannot lock database directory '{fullPath}' ({lockPath}): {ex.Message}", ex);
        }

        var acquired = new DataDirectoryLock(fullPath, lockFile);
        try
        {
            File.WriteAllText(acquired.PidFilePath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            acquired.Dispose();
            throw new StorageException($"Cannot write '{acquired.PidFilePath}': {ex.Message}", ex);
        }

        return acquired;
    }

    /// <summary>Removes the pid file, then releases the lock. The lock file stays (deleting it would race a new owner).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            File.Delete(PidFilePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A stale pid file is harmless: the next owner overwrites it.
        }

        _lockFile.Dispose();
    }

    private static void CheckWritable(string fullPath)
    {
        var probe = Path.Combine(fullPath, $".sync-server-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            stream.WriteByte(0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"Database directory '{fullPath}' is not writable: {ex.Message}", ex);
        }
    }

    // The open failed: if the file can still be opened for shared reading, the failure was someone else's lock.
    private static bool IsHeldByOther(string lockPath)
    {
        if (!File.Exists(lockPath))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string ReadPid(string fullPath)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(fullPath, PidFileName)).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                ? pid.ToString(CultureInfo.InvariantCulture)
                : "unknown";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
