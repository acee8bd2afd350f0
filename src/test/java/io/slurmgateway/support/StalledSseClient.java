package io.slurmgateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An SSE client that sends its request and then reads nothing, over a socket with a tiny receive buffer: the gateway's
 * writes to it soon find no room. {@link #readToEnd} reads what the gateway sent until it ended the response.
 */
public final class StalledSseClient implements AutoCloseable {

    private final Socket socket;

    public StalledSseClient(int port, String path) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(1024); // before connecting, so that the advertised window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Connection: close\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /**
     * Reads until the gateway closes the connection; fails when it sends nothing for {@code quiet}, which means it
     * still holds the response open.
     */
    public String readToEnd(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the gateway still holds the response open after " + all.size() + " bytes");
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
