using Microsoft.EntityFrameworkCore;

namespace FlexCoop.ReferenceSystem.Identity;

/// <summary>The Entity Framework context holding OpenIddict's applications, authorizations, scopes and tokens.</summary>
public sealed class ReferenceIdentityDbContext(DbContextOptions<ReferenceIdentityDbContext> options) : DbContext(options);
