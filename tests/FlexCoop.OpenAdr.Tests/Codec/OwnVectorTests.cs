using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>
/// Our own vectors: each file is the canonical serialisation of a message described in
/// <see cref="OwnVectorMessages"/>. Set <c>FLEXCOOP_WRITE_VECTORS=1</c> to rewrite the files after changing
/// the descriptions (then review the diff).
/// </summary>
public sealed class OwnVectorTests
{
    public static TheoryData<string> Names() => new(OwnVectorMessages.All.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void Own_vector_file_is_the_canonical_serialisation_of_its_message(string name)
    {
        var expected = OadrCodec.SerializeToUtf8Bytes(OwnVectorMessages.All[name]);
        var path = Path.Combine(Vectors.Directory, name);
        if (Environment.GetEnvironmentVariable("FLEXCOOP_WRITE_VECTORS") == "1")
        {
            Directory.CreateDirectory(Vectors.Directory);
            File.WriteAllBytes(path, expected);
        }
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), File.ReadAllText(path));
        Assert.Equal(OwnVectorMessages.All[name], OadrCodec.Parse(File.ReadAllBytes(path)).Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Own_vector_is_valid_against_the_official_schema(string name)
    {
        Assert.Empty(OadrSchemaSupport.Validate(Vectors.Read(name)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Own_vector_passes_xmllint(string name)
    {
        var (code, output) = await OadrSchemaSupport.XmllintAsync(Vectors.Read(name));
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Parse_distribute_with_two_events_keeps_intervals_uids_targets_and_baseline()
    {
        var doc = OadrCodec.Parse(Vectors.Read("distribute-two-events.xml"));
        Assert.Equal(OadrEnvelope.OadrPayload, doc.Envelope);
        var distribute = Assert.IsType<OadrDistributeEvent>(doc.Message);
        Assert.Equal(2, distribute.Events.Count);
        var first = distribute.Events[0].EiEvent;
        Assert.Equal(["0", "1", "2", "3"], first.EventSignals.Signals[0].Intervals.Select(i => i.Uid));
        Assert.Equal([1f, 2f, 3f, 1f], first.EventSignals.Signals[0].Intervals.Select(i => ((PayloadFloat)((SignalPayload)i.Payloads[0]).Payload).Value));
        Assert.Equal(TimeSpan.FromMinutes(5), first.ActivePeriod.Properties.Tolerance!.StartAfter!.Value.ToTimeSpan());
        Assert.Equal("P1D", first.ActivePeriod.Properties.Notification!.Value.Text);
        Assert.Equal(["heat-pump-12", "boiler-7"], first.EventSignals.Baseline!.ResourceIds);
        Assert.Equal(["VEN-OSB-0001", "VEN-OSB-0002"], first.Target.VenIds);
        var second = distribute.Events[1].EiEvent;
        Assert.True(second.ActivePeriod.ComponentsNil);
        var price = Assert.IsType<CurrencyItem>(second.EventSignals.Signals[0].ItemBase);
        Assert.Equal("EUR", price.Currency);
        Assert.Equal(0.31m, ((PayloadFloat)((SignalPayload)second.EventSignals.Signals[0].Intervals[2].Payloads[0]).Payload).ToDecimal());
        Assert.Equal(8, second.Target.ServiceAreas[0].PositionList.Count);
        Assert.Equal(ResponseRequired.Never, distribute.Events[1].ResponseRequired);
    }

    [Fact]
    public void Parse_update_report_keeps_every_point_and_resource_status()
    {
        var update = Assert.IsType<OadrUpdateReport>(OadrCodec.Parse(Vectors.Read("update-report-telemetry.xml")).Message);
        var report = Assert.Single(update.Reports);
        Assert.Equal(ReportName.TelemetryUsage, report.ReportName);
        Assert.Equal(4, report.Intervals!.Count);
        var status = (OadrPayloadResourceStatus)((OadrReportPayload)report.Intervals[3].Payloads[1]).Payload;
        Assert.True(status.ManualOverride);
        Assert.Equal(20.5f, status.LoadControlState!.SetPoint!.Current);
        Assert.Equal(DataQuality.QualityGoodNonSpecific, ((OadrReportPayload)report.Intervals[0].Payloads[0]).DataQuality);
    }

    [Fact]
    public void Parse_register_report_keeps_every_item_base()
    {
        var register = Assert.IsType<OadrRegisterReport>(OadrCodec.Parse(Vectors.Read("register-report-metadata.xml")).Message);
        var items = register.Reports[0].Descriptions.Select(d => d.ItemBase!.GetType()).ToList();
        Assert.Equal(
            [typeof(PowerReal), typeof(PowerReactive), typeof(PowerApparent), typeof(EnergyReal), typeof(EnergyReactive), typeof(EnergyApparent),
             typeof(VoltageItem), typeof(CurrentItem), typeof(FrequencyItem), typeof(TemperatureItem), typeof(ThermItem), typeof(PulseCountItem),
             typeof(CurrencyItem), typeof(CustomUnit)],
            items);
        Assert.True(register.Reports[0].Descriptions[13].ReportType.IsExtension);
        Assert.Equal(ReportType.XResourceStatus, register.Reports[1].Descriptions[0].ReportType);
    }
}
