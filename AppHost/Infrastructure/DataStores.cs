using Microsoft.Extensions.Configuration;

namespace AppHost.Infrastructure;

/// <summary>
/// The databases and cache the services reference. Services cannot tell whether these are Aspire's
/// containers or local processes: both expose the same resource names and connection strings.
/// </summary>
public sealed record DataStores(
    IResourceBuilder<IResourceWithConnectionString> CatalogDb,
    IResourceBuilder<IResourceWithConnectionString> BillingDb,
    IResourceBuilder<IResourceWithConnectionString> PortalDb,
    IResourceBuilder<IResourceWithConnectionString> Redis);

public static class DataStoresBuilderExtensions
{
    public static DataStores AddDataStores(this IDistributedApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(InfrastructureOptions.SectionName).Get<InfrastructureOptions>()
            ?? new InfrastructureOptions();

        if (ContainerRuntimeDetector.UseContainers(options.Mode))
        {
            var postgres = builder.AddPostgres("postgres").WithDataVolume();
            var redis = builder.AddRedis("redis").WithDataVolume().WithPersistence();
            return new DataStores(
                postgres.AddDatabase("catalogdb"),
                postgres.AddDatabase("billingdb"),
                postgres.AddDatabase("portaldb"),
                redis);
        }

        var prerequisites = LocalPrerequisites.Ensure(options.InstallPrerequisites);
        var dataRoot = options.ResolveDataDirectory();
        Directory.CreateDirectory(dataRoot);

        var localPostgres = builder.AddLocalPostgres("postgres", prerequisites, dataRoot);
        return new DataStores(
            localPostgres.AddDatabase("catalogdb"),
            localPostgres.AddDatabase("billingdb"),
            localPostgres.AddDatabase("portaldb"),
            builder.AddLocalRedis("redis", prerequisites, dataRoot));
    }
}
