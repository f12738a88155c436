using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Tests.Logging;

public class LogTagsTests
{
    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", "HttpSv")]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel.Connections", "HttpSv")]
    [InlineData("Microsoft.AspNetCore", "HttpSv")]
    [InlineData("Microsoft.Hosting.Lifetime", "Host")]
    [InlineData("Microsoft.Extensions.Hosting.Internal.Host", "Host")]
    [InlineData("Microsoft.EntityFrameworkCore.Database.Command", "EfCore")]
    [InlineData("Microsoft.AspNetCoreLookalike.Thing", "Thing")]
    [InlineData("System.Net.Http.HttpClient", "HttpCl")]
    [InlineData("SyncServer.Web.Program", "Progra")]
    [InlineData("Microsoft.Extensions.Options.OptionsMonitor<Some.Options>", "Option")]
    [InlineData("Plain", "Plain")]
    [InlineData("", "")]
    public void Maps_a_category_to_a_short_tag(string category, string expected)
    {
        Assert.Equal(expected, LogTags.ForCategory(category));
    }

    [Theory]
    [InlineData(LogTags.Server, "SySvAp")]
    [InlineData(LogTags.Schema, "SchVer")]
    [InlineData(LogTags.Sync, "SvSync")]
    [InlineData(LogTags.Http, "HttpSv")]
    [InlineData(LogTags.Storage, "DbStor")]
    [InlineData(LogTags.Auth, "SvAuth")]
    [InlineData(LogTags.Stats, "SyStat")]
    public void Engine_tags_map_to_themselves(string tag, string expected)
    {
        Assert.Equal(expected, tag);
        Assert.Equal(expected, LogTags.ForCategory(tag));
    }

    [Fact]
    public void Returns_the_same_cached_instance_for_a_category()
    {
        var first = LogTags.ForCategory("Some.Namespace.LongTypeName");
        var second = LogTags.ForCategory("Some.Namespace.LongTypeName");

        Assert.Equal("LongTy", first);
        Assert.Same(first, second);
    }
}
