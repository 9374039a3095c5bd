package org.memledger.coordinator.api;

import java.util.concurrent.ThreadFactory;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Which of Netty's socket transports serves HTTP: native epoll where Netty's library loads (Linux
 * x86_64, aarch64 and riscv64, shipped in {@code netty-all}), else the JDK's NIO. Both behave the
 * same to a client; epoll costs less CPU per request (no selected-key sets, an eventfd instead of a
 * pipe to wake a loop), and on a small VM the API's CPU per request is what limits admissions per
 * second. Ratis' own shaded Netty makes the same choice for Raft traffic.
 *
 * @param name human name for logs ("epoll" or "nio")
 */
public record SocketTransport(String name) {
    private static final String EPOLL = "epoll";
    private static final String NIO = "nio";

    /** Epoll when available, NIO otherwise. */
    public static SocketTransport best() {
        return Epoll.isAvailable() ? new SocketTransport(EPOLL) : nio();
    }

    /** Always the JDK's NIO (a fallback an operator can force, and the portable choice in tests). */
    public static SocketTransport nio() {
        return new SocketTransport(NIO);
    }

    /** {@code epoll} or {@code nio}; {@code epoll} where it cannot load is an error naming the cause. */
    public static SocketTransport parse(String value) {
        if (NIO.equals(value)) {
            return nio();
        }
        if (EPOLL.equals(value)) {
            if (!Epoll.isAvailable()) {
                throw new IllegalArgumentException("the epoll transport is not available here: "
                        + Epoll.unavailabilityCause());
            }
            return new SocketTransport(EPOLL);
        }
        throw new IllegalArgumentException("transport must be 'epoll' or 'nio', was '" + value + "'");
    }

    public SocketTransport {
        if (!EPOLL.equals(name) && !NIO.equals(name)) {
            throw new IllegalArgumentException("unknown socket transport " + name);
        }
    }

    private boolean epoll() {
        return EPOLL.equals(name);
    }

    /** An event-loop group of {@code threads} loops (0 = Netty's default, two per core). */
    public EventLoopGroup newGroup(int threads, ThreadFactory factory) {
        return epoll() ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
