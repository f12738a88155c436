namespace SyncServer.Web.Admin;

/// <summary>Authorization policy names of the admin endpoint.</summary>
internal static class AdminPolicies
{
    /// <summary>A logged-in admin (the fallback for every page, hub and endpoint without its own policy).</summary>
    public const string Admin = "Admin";

    /// <summary>A logged-in admin, or a scraper with the metrics bearer token.</summary>
    public const string Metrics = "Metrics";
}
