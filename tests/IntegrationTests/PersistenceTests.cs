using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>Data written through a service must survive a full stop and start of the AppHost.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task A_billing_account_survives_an_app_host_restart()
    {
        var dataDirectory = TestAppHost.NewDataDirectory();
        var ownerUserId = $"user-{Guid.NewGuid():N}";
        try
        {
            string createdId;
            var first = await TestAppHost.StartAsync(dataDirectory);
            try
            {
                using var billing = await TestAppHost.CreateBillingInternalClientAsync(first);
                using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
                var created = await billing.PutAsJsonAsync($"/internal/accounts/{ownerUserId}",
                    new { email = "restart@example.com" }, timeout.Token);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                createdId = ReadId(await created.Content.ReadAsStringAsync(timeout.Token));
            }
            finally
            {
                await TestAppHost.StopAsync(first);
            }

            var second = await TestAppHost.StartAsync(dataDirectory);
            try
            {
                using var billing = await TestAppHost.CreateBillingInternalClientAsync(second);
                using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
                var fetched = await billing.GetAsync($"/internal/accounts/{ownerUserId}", timeout.Token);
                Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
                var body = await fetched.Content.ReadAsStringAsync(timeout.Token);
                Assert.Equal(createdId, ReadId(body));
                Assert.Contains("restart@example.com", body);

                // Creating it again is idempotent: same account, 200 instead of 201.
                var again = await billing.PutAsJsonAsync($"/internal/accounts/{ownerUserId}",
                    new { email = "restart@example.com" }, timeout.Token);
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
                Assert.Equal(createdId, ReadId(await again.Content.ReadAsStringAsync(timeout.Token)));
            }
            finally
            {
                await TestAppHost.StopAsync(second);
            }
        }
        finally
        {
            TestAppHost.DeleteDataDirectory(dataDirectory);
        }
    }

    private static string ReadId(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("id").GetString()!;
    }
}
