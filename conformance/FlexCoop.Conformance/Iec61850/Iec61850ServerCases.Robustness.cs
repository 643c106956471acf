using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;

namespace FlexCoop.Conformance.Iec61850;

internal static partial class Iec61850ServerCases
{
    /// <summary>BER TLV with a definite length (short or long form).</summary>
    private static byte[] Tlv(byte[] tag, params byte[][] content)
    {
        var body = content.SelectMany(c => c).ToArray();
        byte[] length = body.Length switch
        {
            < 128 => [(byte)body.Length],
            < 256 => [0x81, (byte)body.Length],
            _ => [0x82, (byte)(body.Length >> 8), (byte)body.Length],
        };
        return [.. tag, .. length, .. body];
    }

    /// <summary>confirmed-RequestPDU with invokeID and the given service bytes.</summary>
    private static byte[] Confirmed(byte invokeId, byte[] service) => Tlv([0xA0], Tlv([0x02], [invokeId]), service);

    /// <summary>Malformed MMS PDUs of the kinds that crashed other stacks, by name.</summary>
    internal static IReadOnlyList<(string Id, string Title, byte[] Pdu)> MalformedPdus { get; } =
    [
        ("sSrvN5", "a confirmed request without a service", Confirmed(1, [])),
        ("sSrvN6", "a getNameList whose length runs past the PDU", [0xA0, 0x0C, 0x02, 0x01, 0x02, 0xA1, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0xA0, 0x03, 0x80]),
        ("sSrvN7", "a deleteNamedVariableList with a nonsense scope and names", Confirmed(3, Tlv([0xAD], Tlv([0x80], [0x63]), Tlv([0xA1], Tlv([0xA0], [0xFF, 0xFF]))))),
        ("sSrvN8", "a fileClose of a nonsense FRSM with an overlong integer", Confirmed(4, Tlv([0x9F, 0x4A], Enumerable.Repeat((byte)0x7F, 40).ToArray()))),
        ("sSrvN9", "a write nested 200 structures deep", Confirmed(5, Tlv([0xA5], Tlv([0xA0], Tlv([0x30], Tlv([0xA0], Tlv([0x80], [0x41])))), Tlv([0xA0], Nest(200))))),
    ];

    /// <summary>
    /// Associates while the server may still be tearing down an association just closed: a refusal is
    /// retried (after 100, 200, 400 … ms) until the report timeout has passed, then it stands.
    /// </summary>
    private static async Task<Iec61850Client> ConnectAfterCloseAsync(Iec61850TestContext ctx, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + ctx.ReportTimeout;
        for (var delay = 100; ; delay *= 2)
        {
            try
            {
                return await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
            }
            catch (MmsProtocolException ex) when (DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(delay) < deadline)
            {
                ctx.Log($"association refused ({ex.Message}); trying again in {delay} ms");
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }
    }

    private static byte[] Nest(int depth)
    {
        byte[] inner = [0x83, 0x01, 0x00];
        for (var i = 0; i < depth; i++) inner = Tlv([0xA2], inner);
        return inner;
    }

    private static IEnumerable<ScriptedCase> Robustness() => MalformedPdus.Select(m => new ScriptedCase(m.Id, Srv, $"Robustness: {m.Title} gets a reject, an error or an abort of that association only, and another association keeps working", async (ctx, ct) =>
    {
        var bystander = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
        var victim = await ctx.ConnectAsync(cancellationToken: ct).ConfigureAwait(false);
        ctx.Log("send " + Convert.ToHexString(m.Pdu));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ctx.ReportTimeout);
            var answer = await victim.Mms.SendRawAsync(m.Pdu, timeout.Token).ConfigureAwait(false);
            ctx.Log("answer " + Convert.ToHexString(answer));
            var kind = answer.Length > 0 ? answer[0] : (byte)0;
            ctx.Check(kind is 0xA4 or 0xA2 or 0xA1, "the server answers with a reject, an error or a response", kind switch { 0xA4 => "reject", 0xA2 => "confirmed-error", 0xA1 => "confirmed-response", _ => $"tag 0x{kind:X2}" });
        }
        catch (MmsProtocolException ex)
        {
            ctx.Check(true, "the server aborts that association", ex.Message);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            ctx.Check(!victim.Mms.IsConnected, "the server answers or aborts within the timeout", $"no answer within {ctx.ReportTimeout.TotalSeconds:0.#} s");
        }
        await ServerKeepsServingAsync(ctx, bystander, victim, ct).ConfigureAwait(false);
    }));

    /// <summary>
    /// The end of every robustness case: the bystander association still gets its server directory, and once the
    /// victim association is closed a new association is accepted (retried while the server tears the old one down).
    /// </summary>
    private static async Task ServerKeepsServingAsync(Iec61850TestContext ctx, Iec61850Client bystander, Iec61850Client victim, CancellationToken ct)
    {
        try
        {
            var devices = await bystander.GetServerDirectoryAsync(ct).ConfigureAwait(false);
            ctx.Check(devices.Count > 0, "the other association keeps working");
            // The victim is closed first: a server may accept no more than two associations at once.
            try
            {
                await victim.AbortAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MmsException or IOException)
            {
                ctx.Log("the victim association is gone already: " + ex.Message);
            }
            var fresh = await ConnectAfterCloseAsync(ctx, ct).ConfigureAwait(false);
            await fresh.Mms.IdentifyAsync(ct).ConfigureAwait(false);
            ctx.Check(true, "a new association is accepted");
        }
        catch (Exception ex) when (ex is MmsException or TimeoutException or IOException)
        {
            ctx.Check(false, "the other association keeps working and a new one is accepted", ex.Message);
        }
    }
}
