using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sciot.Client.Commands;

/// <summary>
/// The least any network server could cost for a payload on this machine: the same bytes over a bare loopback TCP
/// connection, a 4-byte length first and a 1-byte reply after, with both ends in this process. No HTTP, no decode, no
/// tail, no storage: only the two socket copies and the wake-ups every server that receives the body over TCP pays too.
/// Timed beside the server, it says which targets a server on these shared cores cannot reach whatever it does.
/// </summary>
public sealed class TransportFloor : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Socket[] _senders;
    private readonly byte[][] _replies;
    private readonly byte[] _framed;
    private readonly List<Task> _sinks = [];
    private readonly CancellationTokenSource _stop = new();
    private long _messagesReceived;
    private long _bytesReceived;

    private TransportFloor(Socket listener, Socket[] senders, byte[] framed)
    {
        _listener = listener;
        _senders = senders;
        _replies = senders.Select(_ => new byte[1]).ToArray();
        _framed = framed;
    }

    /// <summary>Messages the receiving side read completely, and their payload bytes (without the length prefix).</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Opens <paramref name="connections"/> loopback connections that each carry <paramref name="payload"/> per message.</summary>
    public static async Task<TransportFloor> OpenAsync(byte[] payload, int connections, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(connections);
        // One buffer with the prefix in front, sent with one call: the floor must not pay for two small writes.
        var framed = new byte[sizeof(int) + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(framed, payload.Length);
        payload.CopyTo(framed, sizeof(int));
        var floor = new TransportFloor(listener, new Socket[connections], framed);
        for (var i = 0; i < connections; i++)
        {
            var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await sender.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
            var receiver = await listener.AcceptAsync(cancellationToken);
            receiver.NoDelay = true;
            floor._senders[i] = sender;
            floor._sinks.Add(floor.SinkAsync(receiver, payload.Length));
        }
        return floor;
    }

    /// <summary>
    /// Sends the payload once on connection <paramref name="connection"/> and waits for the receiver's reply; one
    /// caller at a time per connection, as one device loop uses one connection.
    /// </summary>
    public async Task SendAsync(int connection, CancellationToken cancellationToken)
    {
        var socket = _senders[connection];
        await socket.SendAsync(_framed, SocketFlags.None, cancellationToken);
        if (await socket.ReceiveAsync(_replies[connection], SocketFlags.None, cancellationToken) != 1)
        {
            throw new IOException("the transport floor's receiver closed the connection");
        }
    }

    private async Task SinkAsync(Socket socket, int payloadBytes)
    {
        var buffer = new byte[Math.Max(sizeof(int), payloadBytes)];
        var reply = new byte[] { 1 };
        using (socket)
        {
            try
            {
                while (await ReadExactlyAsync(socket, buffer.AsMemory(0, sizeof(int))))
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(buffer);
                    if (length != payloadBytes || !await ReadExactlyAsync(socket, buffer.AsMemory(0, length)))
                    {
                        throw new InvalidDataException($"the transport floor expected {payloadBytes}-byte messages, got a length of {length} or a cut-off one");
                    }
                    Interlocked.Increment(ref _messagesReceived);
                    Interlocked.Add(ref _bytesReceived, length);
                    await socket.SendAsync(reply, SocketFlags.None, _stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <returns>False when the peer closed the connection before the first byte.</returns>
    private async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> into)
    {
        var read = 0;
        while (read < into.Length)
        {
            var n = await socket.ReceiveAsync(into[read..], SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                return read == 0 ? false : throw new InvalidDataException("the transport floor's sender closed the connection mid-message");
            }
            read += n;
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders)
        {
            // A clean close ends each sink's read loop with 0 bytes.
            sender.Shutdown(SocketShutdown.Both);
            sender.Dispose();
        }
        await Task.WhenAll(_sinks).WaitAsync(TimeSpan.FromSeconds(10));
        await _stop.CancelAsync();
        _stop.Dispose();
        _listener.Dispose();
    }
}
