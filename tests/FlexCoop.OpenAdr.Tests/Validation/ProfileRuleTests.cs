using System.Text;
using FlexCoop.OpenAdr.Validation;
using FlexCoop.Testing;

namespace FlexCoop.OpenAdr.Tests.Validation;

/// <summary>Each profile rule a single message can break: one fixture that breaks it, and only it.</summary>
public sealed class ProfileRuleTests
{
    private static readonly Lazy<OadrValidator> WithSchemas = new(() =>
        new OadrValidator(new OadrValidationOptions { SchemaDirectory = TestEnvironment.RequireShared("schemas/openadr20b") }));

    private static ValidationResult Validate(DistributeFixture fixture, params string[] events)
    {
        TestEnvironment.RequireShared("schemas/openadr20b");
        return WithSchemas.Value.Validate(fixture.Bytes(events));
    }

    private static ValidationResult Validate(string xml)
    {
        TestEnvironment.RequireShared("schemas/openadr20b");
        return WithSchemas.Value.Validate(Encoding.UTF8.GetBytes(xml));
    }

    private static Violation Only(ValidationResult result, string rule)
    {
        var v = Assert.Single(result.Violations);
        Assert.True(v.Rule == rule, $"expected {rule}, got {v}");
        return v;
    }

    [Fact]
    public void Rule_2_uids_must_start_at_0_and_count_up()
    {
        var v = Only(Validate(new DistributeFixture { Uids = ["1", "2"] }), "rule 2");
        Assert.EndsWith("strm:intervals/ei:interval/xcal:uid/xcal:text", v.Path, StringComparison.Ordinal);
        var gap = Only(Validate(new DistributeFixture { Uids = ["0", "2"] }), "rule 2");
        Assert.EndsWith("ei:interval[2]/xcal:uid/xcal:text", gap.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_4_cancelled_event_with_modification_number_0()
    {
        Only(Validate(new DistributeFixture { Status = "cancelled", ModificationNumber = 0 }), "rule 4");
        Assert.True(Validate(new DistributeFixture { Status = "cancelled", ModificationNumber = 1 }).IsValid);
    }

    [Fact]
    public void Rule_6_testEvent_False_is_a_warning_not_an_error()
    {
        var result = Validate(new DistributeFixture { TestEvent = "False" });
        var v = Only(result, "rule 6");
        Assert.Equal(ViolationSeverity.Warning, v.Severity);
        Assert.True(result.IsValid);
        Assert.Empty(Validate(new DistributeFixture { TestEvent = "false" }).Violations);
        Assert.Empty(Validate(new DistributeFixture { TestEvent = "true" }).Violations);
    }

    [Fact]
    public void Rule_7_two_SIMPLE_signals_in_one_event()
    {
        var v = Only(Validate(new DistributeFixture { SecondSimpleSignal = true }), "rule 7");
        Assert.EndsWith("ei:eiEvent/ei:eiEventSignals", v.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_8_interval_durations_must_add_up_to_the_active_period()
    {
        var v = Only(Validate(new DistributeFixture { IntervalDurations = ["PT30M", "PT20M"] }), "rule 8");
        Assert.Contains("PT50M", v.Message, StringComparison.Ordinal);
        Assert.Contains("PT1H", v.Message, StringComparison.Ordinal);
        Assert.True(Validate(new DistributeFixture { IntervalDurations = ["PT15M", "PT45M"] }).IsValid);
    }

    [Fact]
    public void Rule_9_SIMPLE_payload_out_of_range()
    {
        var v = Only(Validate(new DistributeFixture { Values = ["1", "4"] }), "rule 9");
        Assert.EndsWith("ei:interval[2]/ei:signalPayload/ei:payloadFloat/ei:value", v.Path, StringComparison.Ordinal);
        Only(Validate(new DistributeFixture { Values = ["1.5", "1"] }), "rule 9");
        // Other signals may carry any value.
        Assert.True(Validate(new DistributeFixture { SignalName = "ELECTRICITY_PRICE", Values = ["0.25", "7"] }).IsValid);
    }

    [Fact]
    public void Rule_14_currentValue_of_SIMPLE_is_0_unless_active()
    {
        Only(Validate(new DistributeFixture { Status = "near", CurrentValue = "2" }), "rule 14");
        Assert.True(Validate(new DistributeFixture { Status = "active", CurrentValue = "2" }).IsValid);
        Assert.True(Validate(new DistributeFixture { Status = "near", CurrentValue = "0" }).IsValid);
    }

    [Fact]
    public void Rule_15_active_events_first_by_priority_completed_last()
    {
        var f = new DistributeFixture();
        Only(Validate(f, f.Event("e-far", "far"), f.Event("e-active", "active")), "rule 15");
        Only(Validate(f, f.Event("e-a2", "active", 2), f.Event("e-a1", "active", 1)), "rule 15");
        Only(Validate(f, f.Event("e-done", "completed"), f.Event("e-near", "near")), "rule 15");
        Assert.True(Validate(f, f.Event("e-a1", "active", 1), f.Event("e-a2", "active", 2), f.Event("e-near", "near"), f.Event("e-done", "completed")).IsValid);
    }

    [Fact]
    public void Rule_41_distribute_requestID_must_be_set()
    {
        var v = Only(Validate(new DistributeFixture { RequestId = "" }), "rule 41");
        Assert.EndsWith("oadr:oadrDistributeEvent/pyld:requestID", v.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_47_open_ended_interval_needs_an_open_ended_event()
    {
        Only(Validate(new DistributeFixture { IntervalDurations = ["PT1H", "PT0S"] }), "rule 47");
        Assert.True(Validate(new DistributeFixture { ActiveDuration = "PT0S", IntervalDurations = ["PT1H", "PT0S"] }).IsValid);
        Only(Validate(new DistributeFixture { ActiveDuration = "PT0S", IntervalDurations = ["PT0S", "PT1H"] }), "rule 47");
    }

    private const string Ns = """
        xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads" xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0" xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream"
        """;

    private static string CreatedEvent(string topRequestId, string? eventResponses, string code = "200") => $"""
        <oadr:oadrCreatedEvent {Ns} ei:schemaVersion="2.0b">
          <pyld:eiCreatedEvent>
            <ei:eiResponse><ei:responseCode>{code}</ei:responseCode><pyld:requestID>{topRequestId}</pyld:requestID></ei:eiResponse>
            {eventResponses ?? ""}
            <ei:venID>ven-1</ei:venID>
          </pyld:eiCreatedEvent>
        </oadr:oadrCreatedEvent>
        """;

    private static string EventResponses(string requestId) => $"""
        <ei:eventResponses>
          <ei:eventResponse>
            <ei:responseCode>200</ei:responseCode>
            <pyld:requestID>{requestId}</pyld:requestID>
            <ei:qualifiedEventID><ei:eventID>event-0001</ei:eventID><ei:modificationNumber>0</ei:modificationNumber></ei:qualifiedEventID>
            <ei:optType>optIn</ei:optType>
          </ei:eventResponse>
        </ei:eventResponses>
        """;

    [Fact]
    public void Rule_35_createdEvent_without_eventResponses_unless_error()
    {
        Only(Validate(CreatedEvent("", null)), "rule 35");
        Assert.True(Validate(CreatedEvent("", null, code: "452")).IsValid);
        Assert.True(Validate(CreatedEvent("", EventResponses("req-0001"))).IsValid);
    }

    [Fact]
    public void Rule_42_requestID_is_echoed_per_eventResponse_and_empty_at_the_top()
    {
        Only(Validate(CreatedEvent("req-0001", EventResponses("req-0001"))), "rule 42");
        var v = Only(Validate(CreatedEvent("", EventResponses(""))), "rule 42");
        Assert.EndsWith("ei:eventResponse/pyld:requestID", v.Path, StringComparison.Ordinal);
    }

    private static string RegisterReport(string reportRequestId, string reportName) => $"""
        <oadr:oadrRegisterReport {Ns} xmlns:emix="http://docs.oasis-open.org/ns/emix/2011/06" xmlns:power="http://docs.oasis-open.org/ns/emix/2011/06/power" xmlns:scale="http://docs.oasis-open.org/ns/emix/2011/06/siscale" ei:schemaVersion="2.0b">
          <pyld:requestID>reg-req-1</pyld:requestID>
          <oadr:oadrReport>
            <xcal:duration><xcal:duration>PT2H</xcal:duration></xcal:duration>
            <oadr:oadrReportDescription>
              <ei:rID>usage-1</ei:rID>
              <ei:reportDataSource><ei:resourceID>meter-1</ei:resourceID></ei:reportDataSource>
              <ei:reportType>usage</ei:reportType>
              <power:powerReal>
                <power:itemDescription>RealPower</power:itemDescription>
                <power:itemUnits>W</power:itemUnits>
                <scale:siScaleCode>none</scale:siScaleCode>
                <power:powerAttributes><power:hertz>50</power:hertz><power:voltage>230</power:voltage><power:ac>true</power:ac></power:powerAttributes>
              </power:powerReal>
              <ei:readingType>Direct Read</ei:readingType>
              <oadr:oadrSamplingRate><oadr:oadrMinPeriod>PT1M</oadr:oadrMinPeriod><oadr:oadrMaxPeriod>PT1H</oadr:oadrMaxPeriod><oadr:oadrOnChange>false</oadr:oadrOnChange></oadr:oadrSamplingRate>
            </oadr:oadrReportDescription>
            <ei:reportRequestID>{reportRequestId}</ei:reportRequestID>
            <ei:reportSpecifierID>usage-spec</ei:reportSpecifierID>
            <ei:reportName>{reportName}</ei:reportName>
            <ei:createdDateTime>2026-11-30T08:00:00Z</ei:createdDateTime>
          </oadr:oadrReport>
          <ei:venID>ven-1</ei:venID>
        </oadr:oadrRegisterReport>
        """;

    [Fact]
    public void Rule_306_registerReport_reportRequestID_is_empty_or_0()
    {
        Assert.True(Validate(RegisterReport("0", "METADATA_TELEMETRY_USAGE")).IsValid);
        Assert.True(Validate(RegisterReport("", "METADATA_TELEMETRY_USAGE")).IsValid);
        Only(Validate(RegisterReport("rr-7", "METADATA_TELEMETRY_USAGE")), "rule 306");
    }

    [Fact]
    public void Rule_304_registerReport_carries_metadata_reports()
    {
        var v = Only(Validate(RegisterReport("0", "TELEMETRY_USAGE")), "rule 304");
        Assert.EndsWith("oadr:oadrReport/ei:reportName", v.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_311_createdReport_echoes_the_requestID()
    {
        var xml = $"""
            <oadr:oadrCreatedReport {Ns} ei:schemaVersion="2.0b">
              <ei:eiResponse><ei:responseCode>200</ei:responseCode><pyld:requestID></pyld:requestID></ei:eiResponse>
              <oadr:oadrPendingReports/>
              <ei:venID>ven-1</ei:venID>
            </oadr:oadrCreatedReport>
            """;
        Only(Validate(xml), "rule 311");
        Assert.True(Validate(xml.Replace("<pyld:requestID></pyld:requestID>", "<pyld:requestID>cr-1</pyld:requestID>", StringComparison.Ordinal)).IsValid);
    }

    [Fact]
    public void Every_public_valid_sample_passes_the_profile_rules()
    {
        // The Alliance's batch samples are wire messages (no schemaLocation): all must pass.
        var dir = TestEnvironment.RequireShared("vectors/openadr20b/alliance-spec-samples");
        foreach (var file in Directory.GetFiles(dir, "batch_*.xml"))
        {
            var result = WithSchemas.Value.Validate(File.ReadAllBytes(file));
            Assert.True(result.IsValid, Path.GetFileName(file) + ": " + string.Join("; ", result.Violations));
        }
    }
}
