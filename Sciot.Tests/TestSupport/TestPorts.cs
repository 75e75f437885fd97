using System.Net;
using System.Net.Sockets;

namespace Sciot.Tests.TestSupport;

public static class TestPorts
{
    /// <summary>
    /// A free port below the ephemeral range (32768+ on Linux): servers that other tests start on port 0 get ephemeral
    /// ports, so none of them can take this one between the check here and a later bind, or while a test restarts a server.
    /// </summary>
    public static int FreeBelowEphemeralRange()
    {
        while (true)
        {
            var port = Random.Shared.Next(20000, 30000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
