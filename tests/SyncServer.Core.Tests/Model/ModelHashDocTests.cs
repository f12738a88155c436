using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Model;

/// <summary>
/// docs/schema.md's worked example of the model hash, checked against the code: the canonical bytes it prints for
/// examples/objectbox-model.json are the bytes <see cref="ModelHash"/> hashes, and its hash is theirs. So the doc cannot
/// drift from the code, and a client author can reproduce the hash from the doc alone.
/// </summary>
public sealed partial class ModelHashDocTests
{
    private static readonly string SchemaDoc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "schema.md"));

    [Fact]
    public void The_canonical_bytes_in_docs_schema_md_are_those_of_the_example_model()
    {
        var model = ModelJsonReader.Read(File.ReadAllBytes(TestPaths.ExampleModel));

        var actual = Encoding.UTF8.GetString(ModelHash.CanonicalJson(model));

        Assert.Equal(actual, DocCanonical());
    }

    [Fact]
    public void The_hash_in_docs_schema_md_is_the_example_models_and_the_sha256_of_the_canonical_bytes()
    {
        var model = ModelJsonReader.Read(File.ReadAllBytes(TestPaths.ExampleModel));
        var documented = DocHash().Match(SchemaDoc);

        Assert.True(documented.Success, "docs/schema.md shows the example's hash as `SHA-256 = <64 hex digits>`");
        Assert.Equal(model.Hash, documented.Groups[1].Value);
        Assert.Equal(model.Hash, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DocCanonical()))));
    }

    [Fact]
    public void Strings_are_escaped_as_docs_schema_md_says()
    {
        var json = File.ReadAllText(TestPaths.ExampleModel).Replace("\"name\": \"Tag\"", "\"name\": \"Tâg<\\\"\\\\/é>&'+`\"", StringComparison.Ordinal);
        var model = ModelJsonReader.Read(json);

        var canonical = Encoding.UTF8.GetString(ModelHash.CanonicalJson(model));

        Assert.Contains(@"""name"":""T\u00E2g\u003C\u0022\\/\u00E9\u003E\u0026\u0027\u002B\u0060""", canonical, StringComparison.Ordinal);
    }

    /// <summary>The block after "<!-- canonical bytes of examples/objectbox-model.json -->", its line breaks removed
    /// (the doc breaks the single line after each property and relation for reading).</summary>
    private static string DocCanonical()
    {
        var marker = SchemaDoc.IndexOf("<!-- canonical bytes of examples/objectbox-model.json -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, "docs/schema.md has the canonical bytes block");
        var start = SchemaDoc.IndexOf("```text\n", marker, StringComparison.Ordinal) + "```text\n".Length;
        var end = SchemaDoc.IndexOf("\n```", start, StringComparison.Ordinal);
        return SchemaDoc[start..end].Replace("\n", "", StringComparison.Ordinal);
    }

    [GeneratedRegex("SHA-256 = `([0-9a-f]{64})`")]
    private static partial Regex DocHash();
}
