using Microsoft.AspNetCore.Identity;

namespace SyncServer.Web.Data;

/// <summary>A person who may log in to the admin UI. Every user is an admin: there are no other roles.</summary>
public sealed class AdminUser : IdentityUser
{
}
