using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SyncServer.Bench.Results;

/// <summary>The printed table and the JSON results file.</summary>
internal static class ResultTable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private static readonly string[] Header = ["scenario", "result", "reference", "ratio", "target", "met"];

    public static string Format(double value) => value switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };

    public static string Render(BenchRun run)
    {
        var rows = new List<string[]> { Header };
        if (run.SqliteRowsPerSecond is { } r1)
        {
            rows.Add(["r1 SQLite insert, 1,000 rows/TX, FULL", $"{Format(r1)} rows/s", "", "", "", ""]);
        }

        if (run.CommitLatency is { } commit)
        {
            rows.Add(["r1c SQLite 1-row commit, FULL (p50 / p99)", $"{Format(commit.P50Us / 1000)} / {Format(commit.P99Us / 1000)} ms", "", "", "", ""]);
        }

        if (run.Echo is { } echo)
        {
            rows.Add(["r2 Kestrel WS echo, 50 conns, 100 B", $"{Format(echo.RoundTripsPerSecond)} round trips/s", "", "", "", ""]);
            rows.Add(["r2 RTT, 1 conn (p50 / p99)", $"{Format(echo.RttP50Us / 1000)} / {Format(echo.RttP99Us / 1000)} ms", "", "", "", ""]);
            rows.Add(["r2 idle WebSocket memory", $"{Format(echo.IdleBytesPerConnection / 1024)} KB/conn", "", "", "", ""]);
        }

        foreach (var result in run.Results)
        {
            rows.Add(
            [
                result.Name,
                $"{Format(result.Value)} {result.Unit}",
                result.ReferenceValue is { } reference ? $"{result.ReferenceId} = {Format(reference)}" : "",
                result.Ratio is { } ratio ? ratio.ToString("F2", CultureInfo.InvariantCulture) : "",
                result.Target ?? "",
                result.TargetMet switch { true => "yes", false => "NO", null => "" },
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            text.AppendLine("| " + string.Join(" | ", rows[i].Select((cell, c) => cell.PadRight(widths[c]))) + " |");
            if (i == 0)
            {
                text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
            }
        }

        return text.ToString();
    }

    public static void WriteJson(BenchRun run, string file, DateTimeOffset started, TimeSpan duration)
    {
        var document = new Dictionary<string, object?>
        {
            ["started"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["durationSeconds"] = Math.Round(duration.TotalSeconds, 1),
            ["quick"] = run.Options.Quick,
            ["machine"] = MachineInfo.Describe(run),
            ["references"] = new Dictionary<string, object?>
            {
                ["r1SqliteRowsPerSecond"] = run.SqliteRowsPerSecond,
                ["r2EchoRoundTripsPerSecond"] = run.Echo?.RoundTripsPerSecond,
                ["r2RttP50Us"] = run.Echo?.RttP50Us,
                ["r2RttP99Us"] = run.Echo?.RttP99Us,
                ["r2IdleBytesPerConnection"] = run.Echo?.IdleBytesPerConnection,
                ["r2Details"] = run.Echo?.Details,
                ["r1Details"] = run.SqliteDetails,
                ["r1cCommitP50Us"] = run.CommitLatency?.P50Us,
                ["r1cCommitP99Us"] = run.CommitLatency?.P99Us,
                ["r1cCommitMaxUs"] = run.CommitLatency?.MaxUs,
                ["r1cCommitsPerSecond"] = run.CommitLatency?.PerSecond,
            },
            ["results"] = run.Results.Select(r => new Dictionary<string, object?>
            {
                ["id"] = r.Id,
                ["name"] = r.Name,
                ["value"] = Math.Round(r.Value, 3),
                ["unit"] = r.Unit,
                ["reference"] = r.ReferenceId,
                ["referenceValue"] = r.ReferenceValue is { } v ? Math.Round(v, 3) : null,
                ["ratio"] = r.Ratio is { } ratio ? Math.Round(ratio, 3) : null,
                ["target"] = r.Target,
                ["targetMet"] = r.TargetMet,
                ["details"] = r.Details,
            }).ToList(),
        };
        File.WriteAllText(file, JsonSerializer.Serialize(document, JsonOptions) + "\n");
    }
}
