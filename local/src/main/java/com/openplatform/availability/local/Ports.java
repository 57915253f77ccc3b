package com.openplatform.availability.local;

import com.openplatform.availability.testkit.FlinkCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on the loopback interface for the local tools. */
final class Ports {
    private Ports() {}

    /** {@code port} when it is free, else any free port: a second local run still starts. */
    static int preferred(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException busy) {
            return FlinkCluster.freePort();
        }
    }
}
