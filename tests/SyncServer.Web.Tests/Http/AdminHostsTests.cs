using System.Net;
using SyncServer.Web.Cli;
using SyncServer.Web.Hosting;

namespace SyncServer.Web.Tests.Http;

/// <summary>docs/admin.md "Host names and origins": the default host names of the admin port.</summary>
public sealed class AdminHostsTests
{
    [Fact]
    public void A_loopback_bind_allows_localhost_and_the_loopback_addresses_and_the_configured_names()
    {
        var hosts = AdminHosts.Resolve(Bind("http://127.0.0.1:9980"), ["admin.example.org"]);

        Assert.Equal(["localhost", "127.0.0.1", "[::1]", "admin.example.org"], hosts);
    }

    [Fact]
    public void An_address_bind_allows_that_address_in_Host_header_form()
    {
        Assert.Contains("192.0.2.7", AdminHosts.Resolve(Bind("http://192.0.2.7:9980"), []));
        Assert.Contains("[2001:db8::7]", AdminHosts.Resolve(Bind("http://[2001:db8::7]:9980"), []));
    }

    [Fact]
    public void An_all_interfaces_bind_allows_this_machines_name_and_addresses()
    {
        var hosts = AdminHosts.Resolve(Bind("http://0.0.0.0:9980"), []);

        Assert.Contains(Dns.GetHostName(), hosts);
        Assert.Contains("localhost", hosts);
        Assert.DoesNotContain("0.0.0.0", hosts);
    }

    [Fact]
    public void A_star_allows_any_host() => Assert.Equal(["*"], AdminHosts.Resolve(Bind("http://127.0.0.1:9980"), ["admin.example.org", "*"]));

    private static BindAddress Bind(string url) => BindAddress.Parse(url, "--admin-bind", "http", "https");
}
