using System.Buffers;
using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Mms.Ber;
using FlexCoop.Iec61850.Mms.Client;
using FlexCoop.Iec61850.Mms.Server;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Mms;

/// <summary>
/// What the server does to keep a browse of a large model cheap: GetNameList pages encoded from the name walk without a
/// string per name, the encoded types of shared logical node types kept (bounded), and pooled PDU buffers. Each must
/// answer exactly what the plain way answers.
/// </summary>
public sealed class MmsServeMemoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IedModel Generated(int attributes) =>
        SclResolver.Resolve(SclDocument.Parse(SclModelGenerator.Generate(attributes, "GEN"))).Ieds[0];

    [Fact]
    public async Task Name_list_pages_of_a_generated_model_join_to_every_name_in_ordinal_order()
    {
        await using var server = new Iec61850Server(Generated(2_000), new MmsServerOptions { MaxPduSize = 700 });
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = await MmsClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, new MmsClientOptions { ProposedPduSize = 700 }, Ct);
        foreach (var domain in server.Mms.Vmd.Domains)
        {
            var listed = await client.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, domain.Name, Ct);
            var expected = domain.Names.ToArray();
            Assert.Equal(expected.Order(StringComparer.Ordinal), expected);
            Assert.Equal(expected, listed);
            Assert.Equal(domain.NameCount, listed.Count);
        }
        // A page holds what fits the negotiated PDU size: continuing after a name in the middle gives the rest.
        var first = server.Mms.Vmd.Domains[0];
        var middle = first.Names[first.NameCount / 2];
        var page = await client.GetNameListPageAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, first.Name, middle, Ct);
        Assert.True(page.MoreFollows);
        Assert.Equal(first.Names.Where(n => string.CompareOrdinal(n, middle) > 0).Take(page.Identifiers.Count), page.Identifiers);
        Assert.InRange(page.Identifiers.Sum(n => n.Length + 3), 1, 700);
    }

    [Fact]
    public async Task Logical_nodes_of_one_type_are_described_from_one_kept_encoding_equal_to_the_codec_output()
    {
        await using var server = new Iec61850Server(Generated(600));
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = await MmsClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
        var domain = server.Mms.Vmd.Domains[0];
        var ggio = domain.Names.Where(n => n.StartsWith("GGIO", StringComparison.Ordinal) && !n.Contains('$', StringComparison.Ordinal)).ToArray();
        Assert.True(ggio.Length >= 5, string.Join(", ", ggio));

        foreach (var ln in ggio)
        {
            var type = await client.GetVariableAccessAttributesAsync(ObjectName.Domain(domain.Name, ln), Ct);
            Assert.Equal(domain.Find(ln)!.Type, type);
        }
        // One shared type for all of them: one kept encoding, the codec's own bytes.
        Assert.Equal(1, server.Mms.TypeEncodings.Count);
        var shared = domain.Find(ggio[0])!.Type;
        var writer = new BerWriter();
        MmsDataCodec.WriteType(writer, shared);
        Assert.Equal(writer.WrittenSpan.ToArray(), server.Mms.TypeEncodings.Find(shared));

        // A functional constraint view and a data object are nodes of that shared tree: kept once each, answered the same.
        var view = await client.GetVariableAccessAttributesAsync(ObjectName.Domain(domain.Name, ggio[1] + "$MX"), Ct);
        Assert.Equal(domain.Find(ggio[1] + "$MX")!.Type, view);
        Assert.Equal(await client.GetVariableAccessAttributesAsync(ObjectName.Domain(domain.Name, ggio[2] + "$MX"), Ct), view);
        Assert.Equal(2, server.Mms.TypeEncodings.Count);
        // A leaf is written with the response, not kept.
        Assert.Equal(MmsFloatType.Float32, await client.GetVariableAccessAttributesAsync(ObjectName.Domain(domain.Name, ggio[0] + "$MX$AnIn1$mag$f"), Ct));
        Assert.Equal(2, server.Mms.TypeEncodings.Count);
    }

    [Fact]
    public void Kept_type_encodings_stay_within_their_bounds()
    {
        var cache = new MmsTypeEncodingCache();
        var types = Enumerable.Range(0, MmsTypeEncodingCache.MaxTypes + 50)
            .Select(i => new MmsStructureType(new MmsComponent("c" + i, new MmsIntegerType(32))))
            .ToArray();
        foreach (var t in types) cache.Find(t);
        Assert.Equal(MmsTypeEncodingCache.MaxTypes, cache.Count);
        Assert.NotNull(cache.Find(types[0]));
        Assert.Null(cache.Find(types[^1]));

        // The octet bound: a few large types fill it long before the count bound.
        var large = new MmsStructureType(Enumerable.Range(0, 2000).Select(i => new MmsComponent("component" + i, new MmsVisibleStringType(255))).ToArray());
        var octets = new MmsTypeEncodingCache();
        var kept = 0;
        for (var i = 0; i < 100; i++)
        {
            if (octets.Find(large with { }) is not null) kept++;
        }
        Assert.InRange(octets.Octets, 1, MmsTypeEncodingCache.MaxOctets);
        Assert.InRange(kept, 1, 99);
        Assert.Equal(kept, octets.Count);
    }

    [Fact]
    public void A_copy_of_a_structure_with_other_components_orders_its_own_names()
    {
        var s = new MmsStructureType(new MmsComponent("b", MmsBooleanType.Instance), new MmsComponent("a", MmsBooleanType.Instance));
        Assert.Equal([1, 0], s.ComponentsInNameOrder());
        var copy = s with { Components = [new MmsComponent("a", MmsBooleanType.Instance), new MmsComponent("c", MmsBooleanType.Instance), new MmsComponent("B", MmsBooleanType.Instance)] };
        Assert.Equal([2, 0, 1], copy.ComponentsInNameOrder());
        Assert.Same(s.ComponentsInNameOrder(), s.ComponentsInNameOrder());
    }

    [Fact]
    public void A_pooled_writer_writes_the_same_octets_as_a_plain_one_and_can_be_used_after_returning_its_buffer()
    {
        var plain = new BerWriter(16);
        var pooled = new BerWriter(ArrayPool<byte>.Shared, 16);
        foreach (var w in new[] { plain, pooled })
        {
            var m = w.Begin(BerTag.Sequence);
            for (var i = 0; i < 3000; i++) w.WriteVisibleString(BerTag.VisibleString, "name" + i);
            w.WriteVisibleChars(BerTag.VisibleString, "LN$MX$AnIn1".AsSpan());
            w.End(m);
        }
        Assert.Equal(plain.WrittenSpan.ToArray(), pooled.WrittenSpan.ToArray());
        Assert.Equal(plain.WrittenSpan.ToArray(), pooled.WrittenMemory.ToArray());
        pooled.ReturnBuffer();
        Assert.Equal(0, pooled.Length);
        pooled.WriteBoolean(BerTag.Boolean, true);
        Assert.Equal(new byte[] { 0x01, 0x01, 0xFF }, pooled.WrittenSpan.ToArray());
        pooled.ReturnBuffer();
    }

    [Fact]
    public async Task Many_associations_one_after_another_are_served_from_pooled_buffers_without_mixing_them_up()
    {
        // Room for every association of the test, however late the server notices that the earlier ones closed.
        await using var server = new Iec61850Server(Generated(600), new MmsServerOptions { MaxAssociations = 64 });
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var domain = server.Mms.Vmd.Domains[0];
        var expected = domain.Names.ToArray();
        for (var round = 0; round < 6; round++)
        {
            // Two at a time, so that one's buffers are returned while the other still works with its own.
            await using var a = await MmsClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
            var b = await MmsClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, cancellationToken: Ct);
            var listA = a.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, domain.Name, Ct);
            var listB = b.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, domain.Name, Ct);
            Assert.Equal(expected, await listA);
            Assert.Equal(expected, await listB);
            await b.ReleaseAsync(Ct);
            await b.DisposeAsync();
            Assert.Equal(expected, await a.GetNameListAsync(MmsObjectClass.NamedVariable, MmsScope.DomainSpecific, domain.Name, Ct));
        }
    }
}
