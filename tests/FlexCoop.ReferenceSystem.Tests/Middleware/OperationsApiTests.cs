using FlexCoop.ReferenceSystem.Hosting;
using FlexCoop.ReferenceSystem.Registry;

namespace FlexCoop.ReferenceSystem.Tests.Middleware;

/// <summary><c>GET /api/registry/summary</c> and <c>GET /api/node</c>: what a load run or a monitor reads.</summary>
public sealed class OperationsApiTests
{
    [Fact]
    public async Task Summary_counts_every_der_current_after_its_status_report_and_node_reports_its_memory()
    {
        await using var node = await MiddlewareHarness.StartAsync();
        var (osb, _) = await node.StartOsbAsync("home-0001");
        await node.WaitForStatusAsync(osb);
        var token = await node.PasswordTokenAsync("aggregator");

        var summary = await node.GetJsonAsync<RegistrySummary>("/api/registry/summary?within=PT1M", token);
        Assert.Equal(1, summary.Homes);
        Assert.Equal(osb.Devices.Count, summary.Ders);
        Assert.Equal(osb.Devices.Count, summary.Online);
        Assert.Equal(osb.Devices.Count, summary.Current);
        Assert.NotNull(summary.OldestReport);
        Assert.True(summary.OldestReport > DateTimeOffset.UtcNow.AddMinutes(-1));

        // A window that ends before the status came: nothing is current.
        var stale = await node.GetJsonAsync<RegistrySummary>("/api/registry/summary?within=PT0.001S", token);
        Assert.True(stale.Current < osb.Devices.Count || stale.CurrentSince > stale.OldestReport);

        var status = await node.GetJsonAsync<NodeStatus>("/api/node", token);
        Assert.Equal(node.Host.NodeId, status.NodeId);
        Assert.True(status.WorkingSetBytes > status.ManagedHeapBytes && status.ManagedHeapBytes > 0);

        Assert.Equal(400, (await node.GetAsync("/api/registry/summary?within=soon", token)).Status);
        // A prosumer sees only their own homes, so not the totals.
        var prosumer = await node.PasswordTokenAsync("prosumer-0001");
        Assert.Equal(403, (await node.GetAsync("/api/registry/summary", prosumer)).Status);
        Assert.Equal(403, (await node.GetAsync("/api/node", prosumer)).Status);
    }
}
