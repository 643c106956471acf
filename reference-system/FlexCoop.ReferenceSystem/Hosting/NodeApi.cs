using System.Diagnostics;
using FlexCoop.ReferenceSystem.Registry;
using FlexCoop.ReferenceSystem.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace FlexCoop.ReferenceSystem.Hosting;

/// <summary>A node's process figures, as <c>GET /api/node</c> answers them.</summary>
/// <param name="NodeId">The node's name on the bus.</param>
/// <param name="WorkingSetBytes">Resident memory of the process.</param>
/// <param name="ManagedHeapBytes">Managed heap after the last GC (<c>GCMemoryInfo.HeapSizeBytes</c>).</param>
/// <param name="ManagedCommittedBytes">Memory the GC has committed.</param>
/// <param name="TotalAllocatedBytes">Bytes allocated since the start.</param>
/// <param name="Gen0Collections">GC counts.</param>
/// <param name="Gen1Collections">GC counts.</param>
/// <param name="Gen2Collections">GC counts.</param>
/// <param name="CpuTime">Processor time used.</param>
/// <param name="Uptime">Since the process started.</param>
/// <param name="Threads">Operating-system threads.</param>
public sealed record NodeStatus(string NodeId, long WorkingSetBytes, long ManagedHeapBytes, long ManagedCommittedBytes, long TotalAllocatedBytes,
    int Gen0Collections, int Gen1Collections, int Gen2Collections, TimeSpan CpuTime, TimeSpan Uptime, int Threads);

/// <summary>
/// Operations endpoints for load runs and monitoring: <c>GET /api/node</c> (this process's memory
/// and CPU) and <c>GET /api/registry/summary</c> (how current the registry is), for aggregators
/// and components.
/// </summary>
internal static class NodeApi
{
    public static void Map(WebApplication app, string nodeId, DerRegistry registry)
    {
        app.MapGet("/api/node", (HttpContext context) =>
            {
                if (!SeesAll(context)) return Results.Json(new ApiProblem("aggregators and components only"), statusCode: StatusCodes.Status403Forbidden);
                using var process = Process.GetCurrentProcess();
                var gc = GC.GetGCMemoryInfo();
                return Results.Ok(new NodeStatus(nodeId, process.WorkingSet64, gc.HeapSizeBytes, gc.TotalCommittedBytes, GC.GetTotalAllocatedBytes(),
                    GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), process.TotalProcessorTime,
                    DateTime.Now - process.StartTime, process.Threads.Count));
            })
            .RequireAuthorization(Policies.Registry).WithTags("node")
            .WithSummary("This node's process: resident and managed memory, GC counts, CPU time, uptime")
            .Produces<NodeStatus>();

        app.MapGet("/api/registry/summary", async (HttpContext context, string? within, IReferenceStore store, TimeProvider clock, CancellationToken ct) =>
            {
                if (!SeesAll(context)) return Results.Json(new ApiProblem("aggregators and components only"), statusCode: StatusCodes.Status403Forbidden);
                var window = registry.Options.PollPeriod * 2;
                if (within is not null)
                {
                    try
                    {
                        window = System.Xml.XmlConvert.ToTimeSpan(within);
                    }
                    catch (FormatException)
                    {
                        return Results.BadRequest(new ApiProblem($"within '{within}' is not an ISO 8601 duration such as PT20S"));
                    }
                    if (window <= TimeSpan.Zero) return Results.BadRequest(new ApiProblem("within is a positive duration"));
                }
                return Results.Ok(await store.Registry.SummarizeAsync(clock.GetUtcNow() - window, ct));
            })
            .RequireAuthorization(Policies.Registry).WithTags("registry")
            .WithSummary("How current the registry is: DERs by state, how many were heard and reported within ?within= (ISO 8601, default two poll periods), the oldest marks")
            .Produces<RegistrySummary>().Produces<ApiProblem>(StatusCodes.Status400BadRequest);
    }

    private static bool SeesAll(HttpContext context) =>
        context.User.HasClaim(Claims.Role, Roles.Aggregator) || context.User.HasClaim(Claims.Role, Roles.Component);
}
