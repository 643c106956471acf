using FlexCoop.Saref.Rdf;
using FlexCoop.Testing;

namespace FlexCoop.Saref.Tests;

public sealed class OpenAdrReportMappingTests
{
    [Fact]
    public void Alliance_sample_register_report_maps_meter_assets_to_a_metering_device()
    {
        var path = TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples/Sample_oadrRegisiterReport.xml");
        var home = OpenAdrReportMapping.FromXml(File.ReadAllText(path));
        Assert.Equal("https://flexcoop.example/vens/VEN_123/", home.Iri);
        var meter = Assert.Single(home.Devices);
        Assert.Equal("12345", meter.OpenAdrResourceId);
        Assert.Equal(DeviceCategory.Meter, meter.Category);
        var power = Assert.Single(meter.Measures);
        Assert.Equal(new PropertyDescription(PropertyKind.Power, "123", null), power);
        Assert.Equal([FunctionKind.Metering], meter.Functions);
    }

    [Fact]
    public void Ven_register_report_maps_resources_to_devices_and_report_descriptions_to_properties()
    {
        var home = OpenAdrReportMapping.FromXml(Vectors.Read("ven-register-report.xml"), "https://coop.example/vens/osb-42/");
        Assert.Equal(2, home.Devices.Count);
        var hp = home.Devices[0];
        Assert.Equal("heat-pump-1", hp.Id);
        Assert.Equal(DeviceCategory.Generic, hp.Category);
        Assert.Equal(
            [new PropertyDescription(PropertyKind.Power, "hp-power", Unit.Watt),
             new PropertyDescription(PropertyKind.Energy, "hp-energy", null),
             new PropertyDescription(PropertyKind.Voltage, "hp-voltage", Unit.Volt),
             new PropertyDescription(PropertyKind.Temperature, "hp-flow-temperature", Unit.DegreeCelsius)],
            hp.Measures);
        Assert.Equal([new PropertyDescription(PropertyKind.Temperature, "hp-room-setpoint", Unit.DegreeCelsius)], hp.Controls);
        Assert.Equal([FunctionKind.Event, FunctionKind.Metering, FunctionKind.Sensing, FunctionKind.LevelControl], hp.Functions);
        var pv = home.Devices[1];
        Assert.Equal(("pv-meter-7", DeviceCategory.Meter), (pv.OpenAdrResourceId, pv.Category));

        var graph = SarefGraphBuilder.Build(home);
        var back = SarefGraphReader.ReadHome(TurtleReader.Parse(TurtleWriter.Write(graph)), home.Iri);
        Assert.Equal(hp.Measures, back.Devices[0].Measures);
        Assert.Equal(hp.Controls, back.Devices[0].Controls);
        Assert.Equal(hp.Functions, back.Devices[0].Functions);
        Assert.Contains(graph.Triples, t => t.Predicate == SarefVocabulary.Core.ControlsProperty
            && t.Object is RdfIri { Value: "https://coop.example/vens/osb-42/devices/heat-pump-1/properties/hp-room-setpoint" });
    }

    [Theory]
    [InlineData("vectors/openadr20b/alliance-spec-samples/Sample_oadrRegisiterReport.xml")]
    [InlineData("vectors/openadr20b/alliance-spec-samples/Sample_oadrRegisiterReport_Telemetry_Usage.xml")]
    [InlineData("vectors/openadr20b/alliance-spec-samples/Sample_oadrRegisiterReport_Telemetry_Status.xml")]
    [InlineData("vectors/openadr20b/avob-OpenADR/model20b/eireport/oadrRegisterReport.xml")]
    public async Task Every_public_register_report_maps_to_terms_declared_in_the_ontologies(string relative)
    {
        var path = TestEnvironment.RequireShared(relative);
        var ontology = await SarefOntology.LoadDirectoryAsync(TestEnvironment.RequireShared("ontologies/saref"), TestContext.Current.CancellationToken);
        var home = OpenAdrReportMapping.FromXml(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        Assert.NotEmpty(home.Devices);
        Assert.Empty(ontology.FindUnknownTerms(SarefGraphBuilder.Build(home)));
    }

    [Fact]
    public void Other_openadr_messages_and_hostile_xml_are_mapping_errors()
    {
        var poll = "<oadr:oadrPoll xmlns:oadr=\"http://openadr.org/oadr-2.0b/2012/07\" xmlns:ei=\"http://docs.oasis-open.org/ns/energyinterop/201110\" ei:schemaVersion=\"2.0b\"><ei:venID>V</ei:venID></oadr:oadrPoll>";
        var ex = Assert.Throws<SarefMappingException>(() => OpenAdrReportMapping.FromXml(poll));
        Assert.Contains("expected an oadrRegisterReport", ex.Message, StringComparison.Ordinal);
        var dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        Assert.Throws<SarefMappingException>(() => OpenAdrReportMapping.FromXml(dtd));
    }
}
