using System.Text;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>
/// Date-times of report intervals: the reader parses only the time of day of one on the day it read last, so these
/// hold it to the full parse across midnight, month ends, 24:00:00 and values the full parse refuses.
/// </summary>
public sealed class CodecDateTimeTests
{
    private static OadrUpdateReport Report(DateTimeOffset first, int points, TimeSpan step) => new()
    {
        SchemaVersion = SchemaVersion.V20b,
        RequestId = "DT-1",
        Reports =
        [
            new OadrReport
            {
                DtStart = first,
                Duration = IsoDuration.FromTimeSpan(step * points),
                Intervals = ValueList.From(Enumerable.Range(0, points).Select(i => new Interval
                {
                    DtStart = first + step * i,
                    Duration = IsoDuration.FromTimeSpan(step),
                    Payloads = [new OadrReportPayload { RId = "r", Payload = PayloadFloat.Of(i) }],
                })),
                ReportRequestId = "RR-1",
                ReportSpecifierId = "SPEC-1",
                ReportName = ReportName.TelemetryUsage,
                CreatedDateTime = first,
            },
        ],
        VenId = "VEN-1",
    };

    private static DateTimeOffset?[] Starts(OadrDocument doc) =>
        [.. ((OadrUpdateReport)doc.Message).Reports[0].Intervals!.Select(i => i.DtStart)];

    [Theory]
    [InlineData("2026-01-31T23:55:00Z", 60)]
    [InlineData("2024-02-28T23:58:30Z", 7)]
    [InlineData("2026-12-31T23:59:59Z", 1)]
    [InlineData("0001-01-01T00:00:00Z", 61)]
    public void Parse_report_intervals_across_midnight_keep_every_date_time(string first, int stepSeconds)
    {
        var start = DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        var report = Report(start, 200, TimeSpan.FromSeconds(stepSeconds));
        var parsed = OadrCodec.Parse(OadrCodec.SerializeToUtf8Bytes(report));
        Assert.Equal(report.Reports[0].Intervals!.Select(i => i.DtStart), Starts(parsed));
    }

    [Fact]
    public void Parse_end_of_day_after_a_time_on_that_day_is_next_midnight()
    {
        var xml = Encoding.UTF8.GetString(OadrCodec.SerializeToUtf8Bytes(Report(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero), 3, TimeSpan.FromMinutes(20))));
        xml = xml.Replace("2026-01-31T23:40:00Z", "2026-01-31T24:00:00Z", StringComparison.Ordinal);
        var starts = Starts(OadrCodec.Parse(xml));
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), starts[2]);
    }

    [Theory]
    [InlineData("2026-01-31T23:60:00Z")]
    [InlineData("2026-01-31T23:00:60Z")]
    [InlineData("2026-01-31T25:00:00Z")]
    [InlineData("2026-01-31T2x:00:00Z")]
    [InlineData("2026-01-31 23:40:00Z")]
    [InlineData("2026-01-31T24:00:01Z")]
    public void Parse_refuses_a_bad_time_on_the_day_read_last(string bad)
    {
        var xml = Encoding.UTF8.GetString(OadrCodec.SerializeToUtf8Bytes(Report(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero), 3, TimeSpan.FromMinutes(20))));
        xml = xml.Replace("2026-01-31T23:40:00Z", bad, StringComparison.Ordinal);
        var ex = Assert.Throws<OadrFormatException>(() => OadrCodec.Parse(xml));
        Assert.Equal("xsd", ex.Rule);
        Assert.EndsWith("/xcal:date-time", ex.Path, StringComparison.Ordinal);
    }
}
