namespace SyncServer.Web.Admin;

/// <summary>How an admin login ended (<see cref="AdminLoginResult"/>).</summary>
internal enum AdminLoginOutcome
{
    /// <summary>Logged in: the login cookie is set.</summary>
    Succeeded,

    /// <summary>Unknown user name or wrong password (the same answer for both).</summary>
    Failed,

    /// <summary>Too many failed logins for this user name (known or not), or an admin locked the account.</summary>
    LockedOut,

    /// <summary>Too many failed logins from this address: refused without checking the password.</summary>
    AddressBlocked,
}
