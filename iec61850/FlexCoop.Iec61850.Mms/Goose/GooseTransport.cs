using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlexCoop.Iec61850.Mms.Goose;

/// <summary>Sends and receives whole Ethernet frames (GOOSE is link-layer multicast, no IP).</summary>
public interface IGooseTransport : IAsyncDisposable
{
    /// <summary>Sends one frame as written by <see cref="GooseCodec.Encode"/>.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default);

    /// <summary>Receives one frame into <paramref name="buffer"/>; returns its length.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
}

/// <summary>Why the live Ethernet transport could not be opened or used.</summary>
public enum GooseTransportError
{
    /// <summary>Raw Ethernet sockets (AF_PACKET) exist only on Linux.</summary>
    PlatformNotSupported,

    /// <summary>The process lacks root or CAP_NET_RAW.</summary>
    PermissionDenied,

    /// <summary>No network interface of that name.</summary>
    InterfaceNotFound,

    /// <summary>Another socket failure (see the inner exception).</summary>
    SocketFailure,
}

/// <summary>The live GOOSE transport failed: no raw socket on this platform, no permission, no such interface.</summary>
public sealed class GooseTransportException : MmsException
{
    public GooseTransportException(GooseTransportError error, string message, Exception? inner = null) : base(message, inner)
    {
        Error = error;
    }

    public GooseTransportError Error { get; }
}

/// <summary>
/// GOOSE on a Linux raw packet socket (AF_PACKET, SOCK_RAW) bound to one interface. Sending needs
/// root or CAP_NET_RAW; frames are received from every protocol (ETH_P_ALL) so that 802.1Q-tagged
/// GOOSE is seen too, and filtered by <see cref="GooseSubscriber"/>. The socket does not see the
/// frames it sends itself.
/// </summary>
public sealed class GooseEthernetSocket : IGooseTransport
{
    private const ushort EthPAll = 0x0003;
    private readonly Socket _socket;

    private GooseEthernetSocket(Socket socket, string interfaceName, int interfaceIndex, MacAddress address)
    {
        _socket = socket;
        InterfaceName = interfaceName;
        InterfaceIndex = interfaceIndex;
        LocalAddress = address;
    }

    public string InterfaceName { get; }
    public int InterfaceIndex { get; }

    /// <summary>The interface's own MAC address (the source of frames we publish).</summary>
    public MacAddress LocalAddress { get; }

    /// <summary>Opens a raw socket on <paramref name="interfaceName"/> (e.g. <c>eth0</c>, <c>lo</c>, a veth).</summary>
    /// <exception cref="GooseTransportException">Not Linux, no permission, or no such interface.</exception>
    public static GooseEthernetSocket Open(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        if (!OperatingSystem.IsLinux()) throw new GooseTransportException(GooseTransportError.PlatformNotSupported, "raw Ethernet sockets (AF_PACKET) are available on Linux only");
        if (interfaceName.Length > 15 || interfaceName.IndexOfAny(['/', '\0']) >= 0 || interfaceName is "." or "..")
        {
            throw new GooseTransportException(GooseTransportError.InterfaceNotFound, $"'{interfaceName}' is not a network interface name");
        }
        var sys = Path.Combine("/sys/class/net", interfaceName);
        if (!int.TryParse(ReadSys(sys, "ifindex"), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new GooseTransportException(GooseTransportError.InterfaceNotFound, $"no network interface '{interfaceName}'");
        }
        MacAddress.TryParse(ReadSys(sys, "address"), out var mac);
        Socket socket;
        try
        {
            socket = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)(ushort)IPAddress.HostToNetworkOrder(unchecked((short)EthPAll)));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AccessDenied || e.NativeErrorCode is 1 or 13)
        {
            throw new GooseTransportException(GooseTransportError.PermissionDenied, "opening a raw Ethernet socket needs root or the CAP_NET_RAW capability", e);
        }
        catch (SocketException e)
        {
            throw new GooseTransportException(GooseTransportError.SocketFailure, $"cannot open a raw Ethernet socket: {e.Message}", e);
        }
        try
        {
            socket.Bind(new LinkLayerEndPoint(index, EthPAll));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new GooseTransportException(GooseTransportError.SocketFailure, $"cannot bind to interface '{interfaceName}': {e.Message}", e);
        }
        return new GooseEthernetSocket(socket, interfaceName, index, mac);
    }

    private static string? ReadSys(string directory, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, file)).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
    {
        try
        {
            await _socket.SendAsync(frame, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new GooseTransportException(e.SocketErrorCode == SocketError.AccessDenied ? GooseTransportError.PermissionDenied : GooseTransportError.SocketFailure,
                $"sending on '{InterfaceName}' failed: {e.Message}", e);
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new GooseTransportException(GooseTransportError.SocketFailure, $"receiving on '{InterfaceName}' failed: {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A <c>sockaddr_ll</c>: protocol (network order) and interface index; the rest zero.</summary>
    private sealed class LinkLayerEndPoint(int interfaceIndex, ushort protocol) : EndPoint
    {
        public override AddressFamily AddressFamily => AddressFamily.Packet;

        public override SocketAddress Serialize()
        {
            var address = new SocketAddress(AddressFamily.Packet, 20);
            address[2] = (byte)(protocol >> 8);
            address[3] = (byte)protocol;
            var index = BitConverter.GetBytes(interfaceIndex);
            for (var i = 0; i < 4; i++) address[4 + i] = index[i];
            return address;
        }

        public override EndPoint Create(SocketAddress socketAddress) => this;
    }
}
