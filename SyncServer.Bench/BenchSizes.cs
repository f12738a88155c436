namespace SyncServer.Bench;

/// <summary>How big each scenario is: the full sizes of the targets, or small ones for development (<c>--quick</c>).</summary>
internal sealed record BenchSizes
{
    public static BenchSizes Full { get; } = new();

    public static BenchSizes Quick { get; } = new()
    {
        IngestObjects = 100_000,
        IngestWarmupTxs = 10,
        SmallTxWarmup = TimeSpan.FromSeconds(1),
        SmallTxDuration = TimeSpan.FromSeconds(4),
        FanOutA = new FanOutSize(20, 1000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
        FanOutB = new FanOutSize(100, 100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
        Connections = 1_000,
        ConnectionsPerWorker = 500,
        SqliteRows = 100_000,
        EchoDuration = TimeSpan.FromSeconds(3),
        EchoIdleConnections = 200,
        SoakDuration = TimeSpan.FromMinutes(1),
        SoakBaseline = TimeSpan.FromSeconds(20),
        HostilePartialConnections = 50,
        HostilePhase = TimeSpan.FromSeconds(5),
    };

    /// <summary>Objects sent by the ingest client (and then received by the catch-up client).</summary>
    public int IngestObjects { get; init; } = 1_000_000;

    public int IngestObjectsPerTx { get; init; } = 1_000;

    /// <summary>TXs sent before the measured ones (their objects also go to the catch-up client).</summary>
    public int IngestWarmupTxs { get; init; } = 100;

    /// <summary>TXs the ingest client sends ahead of their ACKs.</summary>
    public int IngestWindow { get; init; } = 16;

    public int SmallTxClients { get; init; } = 100;

    /// <summary>TXs each small-TX client sends ahead of their ACKs (the server reads up to MaxPendingTxs = 64).</summary>
    public int SmallTxWindow { get; init; } = 32;

    public TimeSpan SmallTxWarmup { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan SmallTxDuration { get; init; } = TimeSpan.FromSeconds(15);

    // A fresh server process tiers its code up (Tier-0 → Tier-1, ~14,000 methods with the admin UI) during its first
    // ten or so seconds; the fan-out warm-up covers that, so the latencies are the steady state's.
    public FanOutSize FanOutA { get; init; } = new(20, 1000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

    public FanOutSize FanOutB { get; init; } = new(1000, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));

    public int Connections { get; init; } = 10_000;

    public int ConnectionsPerWorker { get; init; } = 5_000;

    /// <summary>Rows of the SQLite reference (r1), 1,000 per transaction.</summary>
    public int SqliteRows { get; init; } = 1_000_000;

    public TimeSpan EchoDuration { get; init; } = TimeSpan.FromSeconds(10);

    public int EchoConnections { get; init; } = 50;

    /// <summary>The soak (scenario 7): how long it runs, and when the RSS it is compared with is taken.</summary>
    public TimeSpan SoakDuration { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan SoakBaseline { get; init; } = TimeSpan.FromMinutes(2);

    public int SoakWriters { get; init; } = 100;

    public int SoakChurners { get; init; } = 50;

    /// <summary>The soak's total pace when the small-TX scenario did not run before it (else half its rate).</summary>
    public double SoakTxsPerSecond { get; init; } = 25_000;

    public int SoakObjectsPerWriter { get; init; } = 1_000;

    /// <summary>Scenario 8a: connections holding a partial message before login (and as many declaring a huge one).</summary>
    public int HostilePartialConnections { get; init; } = 200;

    /// <summary>Scenario 8b: readers that stop reading, and how long the writer runs before them and after the send timeout.</summary>
    public int HostileStalledReaders { get; init; } = 10;

    public TimeSpan HostilePhase { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Idle WebSockets opened to the echo server to measure its memory per connection.</summary>
    public int EchoIdleConnections { get; init; } = 2_000;
}

/// <param name="Subscribers">Clients receiving every TX live.</param>
/// <param name="TxsPerSecond">The writer's pace: one single-put TX at a time.</param>
/// <param name="Warmup">Sent at the same pace first, not measured.</param>
/// <param name="Duration">The measured part.</param>
internal sealed record FanOutSize(int Subscribers, int TxsPerSecond, TimeSpan Warmup, TimeSpan Duration);
