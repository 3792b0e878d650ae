using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Billing.Service.Data;

/// <summary>
/// Inserts many rows with Postgres's binary COPY, in the context's current transaction, by the context's own
/// mapping (table, column names, value conversions). For the usage consumer's batches: one INSERT statement per
/// row cost Postgres more in per-statement work than in storing the row. Constraints and triggers still apply
/// (keys, foreign keys, the ledger's balance check at commit). The rows are not tracked by the context.
/// </summary>
internal static class PostgresCopy
{
    public static async Task InsertAsync<TEntity>(DbContext db, IReadOnlyCollection<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var entityType = db.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped by {db.GetType().Name}");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        // Identity columns are left to Postgres; every other column is written, keys included.
        var columns = entityType.GetProperties()
            .Where(property => property.GetValueGenerationStrategy() is not (NpgsqlValueGenerationStrategy.IdentityByDefaultColumn
                or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.SerialColumn))
            .Select(property => (Property: property, Name: property.GetColumnName(table)!, Converter: property.GetTypeMapping().Converter))
            .ToArray();

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var copy = $"COPY {Quote(table.Name, table.Schema)} ({string.Join(", ", columns.Select(column => Quote(column.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var (property, _, converter) in columns)
            {
                var value = property.GetGetter().GetClrValue(row);
                if (value is not null && converter is not null)
                {
                    value = converter.ConvertToProvider(value);
                }
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    // The runtime type picks the wire format; it is the type the column was created from.
                    await importer.WriteAsync(value, cancellationToken);
                }
            }
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Quote(string table, string? schema) => schema is null ? Quote(table) : Quote(schema) + "." + Quote(table);
}
