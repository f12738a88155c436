using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Model;

/// <summary>Malformed model files are explained in terms of the file (what to fix), not System.Text.Json's reader.</summary>
public sealed class JsonSyntaxTextTests
{
    [Theory]
    [InlineData("{\n  \"entities\": [],\n}", "line 3, column 1: not valid JSON: a trailing comma before the closing '}': remove the comma after the last member")]
    [InlineData("{\"entities\": [1,]}", "line 1, column 17: not valid JSON: a trailing comma before the closing ']': remove the comma after the last element")]
    [InlineData("", "line 1, column 1: not valid JSON: the file is empty: it must hold the model's JSON object")]
    [InlineData("{ \"entities\": [ ", "line 1, column 17: not valid JSON: the file ends before every '{' and '[' is closed: it is cut short or a closing bracket is missing")]
    [InlineData("{\"a\": 1 \"b\": 2}", "line 1, column 9: not valid JSON: a ',' or a closing '}' or ']' must follow a value, found '\"': is a comma missing?")]
    [InlineData("{a: 1}", "line 1, column 2: not valid JSON: property names must be in double quotes, found 'a'")]
    [InlineData("{\"a\": \"x", "line 1, column 9: not valid JSON: a string is not closed: the file ends before its closing '\"'")]
    [InlineData("// note\n{}", "line 1, column 1: not valid JSON: comments are not allowed in JSON: remove the '//' or '/* */' comment")]
    [InlineData("{\"a\": }", "line 1, column 7: not valid JSON: a value (string, number, object, array, true, false or null) must come here, found '}'")]
    [InlineData("{\"a\": tru}", "line 1, column 10: not valid JSON: 'tru}' is not a JSON value; did you mean true?")]
    public void A_malformed_file_says_where_and_what_to_fix(string json, string expected)
    {
        var error = Assert.Single(Assert.Throws<ModelException>(() => ModelJsonReader.Read(json)).Errors);

        Assert.Equal(expected, error.ToString());
    }

    [Theory]
    [InlineData("{\n  \"entities\": [],\n}")]
    [InlineData("")]
    [InlineData("{ \"entities\": [ ")]
    [InlineData("{\"a\": 1.}")]
    [InlineData("{\"a\": \"\\q\"}")]
    [InlineData("{\"a\": [1}")]
    [InlineData("{} x")]
    public void No_message_carries_the_readers_advice_for_programmers(string json)
    {
        var message = Assert.Single(Assert.Throws<ModelException>(() => ModelJsonReader.Read(json)).Errors).Message;

        foreach (var internals in new[] { "reader options", "isFinalBlock", "in this mode", "payload", "LineNumber", "token" })
        {
            Assert.DoesNotContain(internals, message, StringComparison.OrdinalIgnoreCase);
        }
    }
}
