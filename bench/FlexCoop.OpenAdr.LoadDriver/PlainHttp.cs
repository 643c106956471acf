using System.Net;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;
using FlexCoop.OpenAdr.Vtn;
using FlexCoop.OpenAdr.Vtn.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The plain-HTTP side of the server process, for the like-for-like comparison with OpenLEADR
/// (which is measured on plain HTTP): a second VTN with <see cref="VtnOptions.InsecureHttp"/> on
/// its own SQLite file (VENs register without a certificate and are known by their venID), and a
/// bare Kestrel endpoint on plain HTTP that answers a fixed oadrResponse, its ceiling.
/// </summary>
internal sealed class PlainHttpTargets : IAsyncDisposable
{
    private readonly SqliteVtnStore _store;
    private readonly VtnServer _vtn;
    private readonly WebApplication _bare;

    private PlainHttpTargets(SqliteVtnStore store, VtnServer vtn, WebApplication bare, Uri bareUrl)
    {
        _store = store;
        _vtn = vtn;
        _bare = bare;
        BareUrl = bareUrl;
    }

    /// <summary>The plain-HTTP VTN's URL.</summary>
    public Uri VtnUrl => _vtn.Url;

    /// <summary>The plain-HTTP bare endpoint's URL.</summary>
    public Uri BareUrl { get; }

    /// <summary>Starts both on loopback (OS-chosen ports); the VTN takes <paramref name="options"/> with plain HTTP.</summary>
    public static async Task<PlainHttpTargets> StartAsync(VtnOptions options, string dbPath)
    {
        var store = new SqliteVtnStore(dbPath);
        VtnServer? vtn = null;
        try
        {
            vtn = await VtnServer.StartAsync(options with { InsecureHttp = true, Urls = ["http://127.0.0.1:0"], Xmpp = null }, store);
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.Services.AddRoutingCore();
            ListenOptions? bound = null;
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Listen(IPAddress.Loopback, 0, l =>
                {
                    l.Protocols = HttpProtocols.Http1;
                    bound = l;
                });
            });
            var bare = builder.Build();
            Baseline.MapFixedAnswer(bare);
            await bare.StartAsync();
            return new PlainHttpTargets(store, vtn, bare, new Uri($"http://127.0.0.1:{bound!.IPEndPoint!.Port}/"));
        }
        catch
        {
            if (vtn is not null) await vtn.DisposeAsync();
            await store.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _bare.StopAsync();
        await _bare.DisposeAsync();
        await _vtn.DisposeAsync();
        await _store.DisposeAsync();
    }
}
