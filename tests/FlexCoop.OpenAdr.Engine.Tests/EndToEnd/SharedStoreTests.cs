using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>
/// Two VTN engines on one store (the reference system's nodes): what one queues, the other delivers,
/// whatever order the notifications between them arrive in.
/// </summary>
public sealed class SharedStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_distribute_queued_by_one_engine_and_polled_from_the_other_carries_the_new_event_before_its_notice_arrives()
    {
        var dir = Directory.CreateTempSubdirectory("flexcoop-vtn-shared-").FullName;
        try
        {
            await using var a = await VtnHarness.StartAsync(dir: dir);
            await using var b = await VtnHarness.StartAsync(dir: dir);
            using var client = VtnHarness.RawClient(TestPki.NewVen());
            var venId = ((OadrCreatedPartyRegistration)await a.SendAsync(client, "EiRegisterParty", Messages.Register())).VenId!;
            while (await a.SendAsync(client, "OadrPoll", Messages.Poll(venId)) is not OadrResponse)
            {
            }
            // The VEN moves to engine B, which finds nothing queued for it.
            Assert.IsType<OadrResponse>(await b.SendAsync(client, "OadrPoll", Messages.Poll(venId)));

            // Engine A saves an event and queues its distribute; engine B hears first that the VEN's queue
            // changed (its notice of the event itself is still on the way).
            await a.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(2), "evt-shared"), Ct);
            await b.Vtn.ReloadVenAsync(venId, Ct);

            var answer = await b.SendAsync(client, "OadrPoll", Messages.Poll(venId));
            var distribute = Assert.IsType<OadrDistributeEvent>(answer);
            Assert.Equal("evt-shared", Assert.Single(distribute.Events).EiEvent.EventDescriptor.EventId);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A store file may still be closing; the temp folder is cleaned by the OS.
            }
        }
    }
}
