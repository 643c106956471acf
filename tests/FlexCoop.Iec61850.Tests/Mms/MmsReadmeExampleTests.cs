using System.Net;
using FlexCoop.Iec61850.Mms;
using FlexCoop.Iec61850.Mms.Acsi;
using FlexCoop.Iec61850.Model;
using FlexCoop.Testing;

namespace FlexCoop.Iec61850.Tests.Mms;

// The example is kept word for word as the README shows it, without test cancellation tokens.
#pragma warning disable xUnit1051

/// <summary>The example of the FlexCoop.Iec61850.Mms README, compiled and run.</summary>
public sealed class MmsReadmeExampleTests
{
    [Fact]
    public async Task Readme_example_serves_updates_reads_and_writes()
    {
        var path = Path.Combine(TestEnvironment.RepoRoot, "schemas", "iec61850", "der-unit.cid");

        var model = SclResolver.Load(path).FindIed("DER1")!;
        await using var server = new Iec61850Server(model);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));

        server.UpdateDataObject("DER1PV/MMXU1.TotW", FunctionalConstraint.MX, "mag.f",
            new MmsFloat32(4200f), Iec61850Quality.Good, DateTimeOffset.UtcNow);

        await using var client = await Iec61850Client.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port);
        var devices = await client.GetServerDirectoryAsync();
        var power = await client.GetDataValuesAsync("DER1PV/MMXU1.TotW.mag.f", FunctionalConstraint.MX);
        await client.SetDataValuesAsync("DER1PV/ZINV1.WRtg.setMag.f", FunctionalConstraint.SP, new MmsFloat32(8000f));

        Assert.Equal(["DER1BAT", "DER1CTRL", "DER1PV"], devices.Order(StringComparer.Ordinal));
        Assert.Equal(new MmsFloat32(4200f), power);
        Assert.Equal(new MmsFloat32(8000f), server.GetDataValue("DER1PV/ZINV1.WRtg.setMag.f", FunctionalConstraint.SP));
    }
}
