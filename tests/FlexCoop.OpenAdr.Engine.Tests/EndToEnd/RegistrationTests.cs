using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Ven;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.EndToEnd;

/// <summary>Registration over mutual TLS (N1_0010 – N1_0080).</summary>
public sealed class RegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ven_registers_with_venId_bound_to_its_certificate_fingerprint()
    {
        await using var h = await VtnHarness.StartAsync();
        var registered = h.NextActivity(a => a.Kind == VtnActivityKind.ReportsRegistered);
        var ven = await h.StartVenAsync("ven-one");
        await registered;

        var stored = await h.Store.GetVenAsync(ven.VenId!, Ct);
        Assert.NotNull(stored);
        Assert.Equal(stored.Fingerprint, ven.VenId);
        Assert.Matches("^([0-9A-F]{2}:){9}[0-9A-F]{2}$", ven.VenId);
        Assert.Equal(ven.RegistrationId, stored.RegistrationId);
        Assert.Equal("ven-one", stored.VenName);
        Assert.Equal("test-vtn", ven.VtnId);
        Assert.True(stored.HttpPullModel);
    }

    [Fact]
    public async Task Ven_polls_at_the_requested_frequency_unless_configured()
    {
        await using var h = await VtnHarness.StartAsync(o => o with { RequestedPollFrequency = TimeSpan.FromSeconds(7) });
        var ven = await h.StartVenAsync(h.VenOptions("ven") with { PollFrequency = null });
        Assert.Equal(TimeSpan.FromSeconds(7), ven.PollInterval);
    }

    [Fact]
    public async Task First_poll_after_registration_brings_the_vtn_metadata_then_nothing()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");

        // The VTN's METADATA registration and a (still empty) distribute were queued at registration.
        Assert.Equal(2, await ven.PollNowAsync(Ct));
        Assert.Equal(0, await ven.PollNowAsync(Ct));
    }

    [Fact]
    public async Task Ven_cancels_its_registration_and_then_gets_463()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");
        var venId = ven.VenId!;
        await ven.CancelRegistrationAsync(Ct);

        var stored = await h.Store.GetVenAsync(venId, Ct);
        Assert.False(stored!.IsRegistered);
        Assert.Null(ven.RegistrationId);
    }

    [Fact]
    public async Task Vtn_cancels_a_registration_and_it_ends_once_delivered()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");
        await ven.PollNowAsync(Ct);
        var venId = ven.VenId!;

        var ended = h.NextActivity(a => a.Kind == VtnActivityKind.RegistrationCancelled);
        await h.Vtn.CancelRegistrationAsync(venId, Ct);
        await ven.PollNowAsync(Ct);
        await ended;

        Assert.False((await h.Store.GetVenAsync(venId, Ct))!.IsRegistered);
        Assert.Null(ven.RegistrationId);
    }

    [Fact]
    public async Task Reregistration_request_makes_the_ven_register_again_with_a_new_registrationId()
    {
        await using var h = await VtnHarness.StartAsync();
        var ven = await h.StartVenAsync("ven");
        await ven.PollNowAsync(Ct);
        var first = ven.RegistrationId;

        var again = h.NextActivity(a => a.Kind == VtnActivityKind.Registered);
        await h.Vtn.RequestReregistrationAsync(ven.VenId!, Ct);
        await ven.PollNowAsync(Ct);
        await again;

        Assert.NotNull(ven.RegistrationId);
        Assert.NotEqual(first, ven.RegistrationId);
        Assert.Equal(ven.RegistrationId, (await h.Store.GetVenAsync(ven.VenId!, Ct))!.RegistrationId);
    }

    [Fact]
    public async Task Restarted_ven_resumes_its_stored_registration_and_events()
    {
        await using var h = await VtnHarness.StartAsync();
        var options = h.VenOptions("ven") with { StatePath = Path.Combine(h.Dir, "ven.db") };
        string venId, registrationId;
        await using (var ven = await OadrVen.StartAsync(options, h.Clock, cancellationToken: Ct))
        {
            await h.Vtn.CreateEventAsync(Events.Simple(VtnHarness.Start.AddHours(1)), Ct);
            await ven.PollNowAsync(Ct);
            Assert.Single(ven.Events);
            (venId, registrationId) = (ven.VenId!, ven.RegistrationId!);
        }

        var registrations = 0;
        h.Vtn.Activity += (_, e) => registrations += e.Activity.Kind == VtnActivityKind.Registered ? 1 : 0;
        await using var restarted = await OadrVen.StartAsync(options, h.Clock, cancellationToken: Ct);
        Assert.Equal((venId, registrationId), (restarted.VenId, restarted.RegistrationId));
        Assert.Equal(0, registrations);
        Assert.Single(restarted.Events);
    }
}
