using Billing.Service.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Service.Preferences;

internal sealed class AccountPreferenceEntityTypeConfiguration : IEntityTypeConfiguration<AccountPreference>
{
    public void Configure(EntityTypeBuilder<AccountPreference> builder)
    {
        builder.ToTable("account_preferences");
        builder.HasKey(preference => preference.AccountId);
        builder.HasOne<Account>().WithOne().HasForeignKey<AccountPreference>(preference => preference.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(preference => preference.DataCollection).HasMaxLength(8);
        // A Postgres text[]: read whole with the row, never queried by element.
        builder.Property(preference => preference.IgnoredProviders);
    }
}
