using System.Text;
using CsCheck;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn.Internal;
using FlexCoop.OpenAdr.Vtn.Storage;

namespace FlexCoop.OpenAdr.Engine.Tests.Memory;

/// <summary>
/// What the VTN keeps in memory per VEN (<see cref="VenDirectory"/>): lookups by venID and by
/// fingerprint, the poll hint, and the poll memo as shared <see cref="PollShape"/>s.
/// </summary>
public sealed class VenDirectoryTests
{
    private static readonly OadrSerializerOptions Compact = OadrSerializerOptions.Default with { Indent = false };

    private static byte[] Poll(string venId, OadrSerializerOptions? options = null) =>
        OadrCodec.SerializeToUtf8Bytes(new OadrPoll { VenId = venId }, options ?? Compact);

    private static VenRecord Record(string venId, string fingerprint) => new() { VenId = venId, Fingerprint = fingerprint, RegistrationId = "reg-" + venId };

    [Fact]
    public void Ven_is_found_by_fingerprint_whether_or_not_the_fingerprint_is_its_venid()
    {
        var vens = new VenDirectory();
        vens.Remember(Record("AA:BB", "AA:BB"));
        vens.Remember(Record("ven-2", "CC:DD"));
        vens.Remember(Record("ven-3", ""));

        Assert.Equal("AA:BB", vens.FindByFingerprint("AA:BB")?.VenId);
        Assert.Equal("ven-2", vens.FindByFingerprint("CC:DD")?.VenId);
        Assert.Null(vens.FindByFingerprint("ven-2"));
        Assert.Null(vens.FindByFingerprint("ven-3"));
        Assert.Equal("ven-3", vens.Find("ven-3")?.VenId);
        Assert.Equal(3, vens.Count);
    }

    [Fact]
    public void Fingerprint_taken_over_by_another_ven_leads_to_that_ven_until_it_is_taken_back()
    {
        var vens = new VenDirectory();
        vens.Remember(Record("AA:BB", "AA:BB"));
        vens.Remember(Record("ven-2", "AA:BB"));
        Assert.Equal("ven-2", vens.FindByFingerprint("AA:BB")?.VenId);

        vens.Remember(Record("AA:BB", "AA:BB"));
        Assert.Equal("AA:BB", vens.FindByFingerprint("AA:BB")?.VenId);
    }

    [Fact]
    public void Changed_certificate_no_longer_finds_the_ven_by_its_old_fingerprint()
    {
        var vens = new VenDirectory();
        vens.Remember(Record("ven-1", "AA:BB"));
        vens.Remember(Record("ven-1", "CC:DD"));

        Assert.Null(vens.FindByFingerprint("AA:BB"));
        Assert.Equal("ven-1", vens.FindByFingerprint("CC:DD")?.VenId);
    }

    [Fact]
    public void Record_read_back_from_the_store_shares_its_venid_as_fingerprint_and_the_usual_names()
    {
        var vens = new VenDirectory();
        var id = "AA:BB:CC";
        var fromStore = new VenRecord
        {
            VenId = new string(id.AsSpan()),
            Fingerprint = new string(id.AsSpan()),
            ProfileName = new string("2.0b".AsSpan()),
            TransportName = new string("simpleHttp".AsSpan()),
        };

        var kept = vens.Remember(fromStore);

        Assert.Same(kept.VenId, kept.Fingerprint);
        Assert.Same("2.0b", kept.ProfileName);
        Assert.Same("simpleHttp", kept.TransportName);
        Assert.Equal(fromStore, kept with { Fingerprint = fromStore.Fingerprint, ProfileName = fromStore.ProfileName, TransportName = fromStore.TransportName });
        Assert.Same(kept, vens.Find(id));
    }

    [Fact]
    public void Poll_hint_is_dirty_until_a_poll_marks_it_clean_and_again_after_a_bump()
    {
        var vens = new VenDirectory();
        Assert.True(vens.MayHavePending("ven-1")); // never seen: the store decides
        vens.Remember(Record("ven-1", ""));
        Assert.True(vens.MayHavePending("ven-1"));

        var seen = vens.Version("ven-1");
        vens.MarkClean("ven-1", seen);
        Assert.False(vens.MayHavePending("ven-1"));

        vens.Bump("ven-1");
        Assert.True(vens.MayHavePending("ven-1"));
    }

    [Fact]
    public void Message_queued_while_a_poll_looked_at_the_store_stays_visible()
    {
        var vens = new VenDirectory();
        vens.Remember(Record("ven-1", ""));
        var seen = vens.Version("ven-1");

        vens.Bump("ven-1"); // queued after the poll read the version, before it marked the queue empty
        vens.MarkClean("ven-1", seen);

        Assert.True(vens.MayHavePending("ven-1"));
    }

    [Fact]
    public void Polls_of_one_implementation_share_one_shape()
    {
        var vens = new VenDirectory();
        for (var i = 0; i < 100; i++)
        {
            var id = $"{i:X2}:00:11";
            vens.Remember(Record(id, id));
            vens.RememberPoll(id, Poll(id), id);
        }
        // Another implementation writes the same poll indented.
        vens.Remember(Record("FF:EE", "FF:EE"));
        vens.RememberPoll("FF:EE", Poll("FF:EE", OadrSerializerOptions.Default), "FF:EE");

        Assert.Equal(2, vens.SharedPollShapes);
        Assert.Equal("42:00:11", vens.RecognisePoll("42:00:11", Poll("42:00:11"))?.VenId);
        Assert.Null(vens.RecognisePoll("42:00:11", Poll("43:00:11")));
        Assert.Null(vens.RecognisePoll("FF:EE", Poll("FF:EE")));
        Assert.Equal("FF:EE", vens.RecognisePoll("FF:EE", Poll("FF:EE", OadrSerializerOptions.Default))?.VenId);
    }

    [Fact]
    public void Body_with_the_venid_twice_is_kept_whole_and_matches_only_itself()
    {
        var body = Encoding.UTF8.GetBytes("<a>ven-1</a><!--ven-1-->");

        var shape = PollShape.Of(body, "ven-1");

        Assert.False(shape.IsSpliced);
        Assert.True(shape.Matches(body, "ven-1"));
        Assert.False(shape.Matches(Encoding.UTF8.GetBytes("<a>ven-2</a><!--ven-1-->"), "ven-2"));
    }

    [Fact]
    public void Non_ascii_venid_is_kept_whole()
    {
        var body = Encoding.UTF8.GetBytes("<a>vén</a>");

        var shape = PollShape.Of(body, "vén");

        Assert.False(shape.IsSpliced);
        Assert.True(shape.Matches(body, "vén"));
    }

    [Fact]
    public void Shared_shapes_stop_growing_at_their_bound_and_still_match()
    {
        var shapes = new PollShapes();
        PollShape? last = null;
        for (var i = 0; i < PollShapes.MaxShared + 50; i++)
        {
            last = shapes.Of(Encoding.UTF8.GetBytes($"<p n=\"{i}\">ven-1</p>"), "ven-1");
        }

        Assert.Equal(PollShapes.MaxShared, shapes.Count);
        Assert.True(last!.Matches(Encoding.UTF8.GetBytes($"<p n=\"{PollShapes.MaxShared + 49}\">ven-1</p>"), "ven-1"));
    }

    [Fact]
    public void Shape_matches_a_body_exactly_when_it_is_the_remembered_body()
    {
        var text = Gen.String[Gen.Char['!', '~'], 0, 40];
        Gen.Select(text, Gen.String[Gen.Char['0', 'F'], 1, 12], text, text).Sample((before, venId, after, other) =>
        {
            var body = Encoding.UTF8.GetBytes(before + venId + after);
            var shape = PollShape.Of(body, venId);

            Assert.True(shape.Matches(body, venId));
            var candidate = Encoding.UTF8.GetBytes(other);
            Assert.Equal(candidate.AsSpan().SequenceEqual(body), shape.Matches(candidate, venId));
            var changed = (byte[])body.Clone();
            changed[^1] ^= 1;
            Assert.False(shape.Matches(changed, venId));
        });
    }
}
