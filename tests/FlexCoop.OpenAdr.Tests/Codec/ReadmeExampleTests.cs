using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>The usage example of openadr/FlexCoop.OpenAdr/README.md, compiled and run.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void Readme_codec_example_runs_as_written()
    {
        var lines = new List<string>();
        // --- as in the README (file path adapted to the test's vector folder) ---
        OadrDocument doc = OadrCodec.Parse(File.ReadAllBytes(Path.Combine(Vectors.Directory, "distribute-two-events.xml")));
        if (doc.Message is OadrDistributeEvent distribute)
        {
            foreach (var ev in distribute.Events)
            {
                var descriptor = ev.EiEvent.EventDescriptor;
                var period = ev.EiEvent.ActivePeriod.Properties;
                lines.Add($"{descriptor.EventId} {descriptor.EventStatus} from {period.DtStart:u} for {period.Duration}");
            }
        }

        var poll = new OadrPoll { SchemaVersion = SchemaVersion.V20b, VenId = "VEN-OSB-0001" };
        byte[] wire = OadrCodec.SerializeToUtf8Bytes(poll);
        string bare = OadrCodec.SerializeToString(poll, OadrSerializerOptions.Bare with { Indent = false });

        OadrFormatException? error = null;
        try
        {
            OadrCodec.Parse("<oadr:oadrPoll xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\"/>");
        }
        catch (OadrFormatException ex)
        {
            error = ex;
        }
        // --- end of example ---

        Assert.Equal(["EVT-1 Far from 2026-12-01 17:00:00Z for PT2H", "EVT-2 Near from 2026-12-01 06:00:00Z for PT6H"], lines);
        Assert.Equal(poll, OadrCodec.Parse(wire).Message);
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><oadr:oadrPoll xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\" "
            + "xmlns:pyld=\"http://docs.oasis-open.org/ns/energyinterop/201110/payloads\" xmlns:ei=\"http://docs.oasis-open.org/ns/energyinterop/201110\" "
            + "xmlns:emix=\"http://docs.oasis-open.org/ns/emix/2011/06\" xmlns:xcal=\"urn:ietf:params:xml:ns:icalendar-2.0\" "
            + "xmlns:strm=\"urn:ietf:params:xml:ns:icalendar-2.0:stream\" xmlns:power=\"http://docs.oasis-open.org/ns/emix/2011/06/power\" "
            + "xmlns:scale=\"http://docs.oasis-open.org/ns/emix/2011/06/siscale\" xmlns:gml=\"http://www.opengis.net/gml/3.2\" "
            + "xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ei:schemaVersion=\"2.0b\">"
            + "<ei:venID>VEN-OSB-0001</ei:venID></oadr:oadrPoll>",
            bare);
        Assert.NotNull(error);
        Assert.Equal("xsd", error.Rule);
        Assert.StartsWith("xsd: missing element ei:venID at /oadr:oadrPoll (line 1, column", error.Message, StringComparison.Ordinal);
    }
}
