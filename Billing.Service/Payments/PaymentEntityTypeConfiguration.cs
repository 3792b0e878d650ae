using Billing.Service.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Service.Payments;

internal sealed class PaymentEntityTypeConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments");
        builder.HasKey(payment => payment.Id);
        builder.HasIndex(payment => payment.SessionId).IsUnique();
        builder.HasIndex(payment => payment.PaymentIntentId).IsUnique();
        builder.HasIndex(payment => new { payment.AccountId, payment.CreatedAt });
        builder.HasOne<Account>().WithMany().HasForeignKey(payment => payment.AccountId);
        builder.Property(payment => payment.SessionId).HasMaxLength(255);
        builder.Property(payment => payment.PaymentIntentId).HasMaxLength(255);
        builder.Property(payment => payment.Currency).HasMaxLength(3);
        builder.Property(payment => payment.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(payment => payment.Version).IsRowVersion();
    }
}

internal sealed class StripeEventRecordEntityTypeConfiguration : IEntityTypeConfiguration<StripeEventRecord>
{
    public void Configure(EntityTypeBuilder<StripeEventRecord> builder)
    {
        builder.ToTable("stripe_events");
        builder.HasKey(stripeEvent => stripeEvent.Id);
        builder.Property(stripeEvent => stripeEvent.Id).HasMaxLength(255);
        builder.Property(stripeEvent => stripeEvent.Type).HasMaxLength(64);
    }
}
