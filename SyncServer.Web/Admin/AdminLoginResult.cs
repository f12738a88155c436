namespace SyncServer.Web.Admin;

/// <summary>What the login page shows for an admin login (<see cref="AdminLogins"/>).</summary>
/// <param name="Outcome">Logged in, refused, locked out, or the address is blocked.</param>
/// <param name="LockedUntil">For <see cref="AdminLoginOutcome.LockedOut"/>: when the lockout ends (UTC; the maximum for an account an admin locked).</param>
/// <param name="BlockedFor">For <see cref="AdminLoginOutcome.AddressBlocked"/>: how long the address is still blocked.</param>
internal sealed record AdminLoginResult(AdminLoginOutcome Outcome, DateTimeOffset? LockedUntil = null, TimeSpan BlockedFor = default);
