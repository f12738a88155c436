using System.Diagnostics;
using System.Globalization;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Tests.Storage;

public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Creates_a_missing_directory_and_writes_the_pid()
    {
        var directory = _temp.Combine("data", "nested");

        using var dataLock = DataDirectoryLock.Acquire(directory);

        Assert.True(Directory.Exists(directory));
        Assert.Equal(directory, dataLock.DirectoryPath);
        Assert.True(File.Exists(Path.Combine(directory, "sync-server.lock")));
        Assert.Equal(
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            File.ReadAllText(Path.Combine(directory, "sync-server.pid")).Trim());
    }

    [Fact]
    public void Refuses_a_second_lock_naming_the_full_path_and_the_pid()
    {
        var directory = _temp.Combine("data");
        using var first = DataDirectoryLock.Acquire(directory);

        var ex = Assert.Throws<StorageException>(() => DataDirectoryLock.Acquire(_temp.Combine("other", "..", "data")));

        Assert.Equal(
            $"Database directory '{directory}' is in use by another sync-server process (pid {Environment.ProcessId}); "
            + "stop it or use another --db-directory",
            ex.Message);
    }

    [Fact]
    public void Can_be_acquired_again_after_release_and_removes_its_pid_file()
    {
        var directory = _temp.Combine("data");
        DataDirectoryLock.Acquire(directory).Dispose();

        Assert.False(File.Exists(Path.Combine(directory, "sync-server.pid")));
        using var second = DataDirectoryLock.Acquire(directory);
        Assert.True(File.Exists(second.PidFilePath));
    }

    [Fact]
    public void Overwrites_a_stale_pid_file_left_by_a_crashed_process()
    {
        var directory = _temp.Combine("data");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "sync-server.pid"), "999999\n");

        using var dataLock = DataDirectoryLock.Acquire(directory);

        Assert.Equal(
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            File.ReadAllText(dataLock.PidFilePath).Trim());
    }

    [Fact]
    public void Is_an_exclusive_os_lock_that_another_process_sees()
    {
        // flock(1) from util-linux takes the same kind of lock .NET takes for FileShare.None on Linux.
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/flock"))
        {
            return;
        }

        var directory = _temp.Combine("data");
        var lockFile = Path.Combine(directory, "sync-server.lock");
        using (DataDirectoryLock.Acquire(directory))
        {
            Assert.Equal(1, RunFlock(lockFile));
        }

        Assert.Equal(0, RunFlock(lockFile));
    }

    [Fact]
    public void Explains_why_the_directory_cannot_be_created()
    {
        var file = _temp.Combine("a-file");
        File.WriteAllText(file, "not a directory");
        var directory = Path.Combine(file, "data");

        var ex = Assert.Throws<StorageException>(() => DataDirectoryLock.Acquire(directory));

        Assert.StartsWith($"Cannot create database directory '{directory}': ", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length > $"Cannot create database directory '{directory}': ".Length);
        Assert.NotNull(ex.InnerException);
    }

    // Exit code of "flock --nonblock <file> true": 0 if the lock was free, 1 if someone holds it.
    private static int RunFlock(string lockFile)
    {
        var start = new ProcessStartInfo("/usr/bin/flock") { RedirectStandardError = true };
        start.ArgumentList.Add("--nonblock");
        start.ArgumentList.Add("--conflict-exit-code");
        start.ArgumentList.Add("1");
        start.ArgumentList.Add(lockFile);
        start.ArgumentList.Add("true");
        using var process = Process.Start(start)!;
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "flock did not finish");
        return process.ExitCode;
    }
}
