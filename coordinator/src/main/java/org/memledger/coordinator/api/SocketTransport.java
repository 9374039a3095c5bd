package org.memledger.coordinator.api;

import java.util.Locale;
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
 * same to a client. Epoll avoids the JDK selector's selected-key sets and wakes a loop through an
 * eventfd instead of a pipe; on our 2-core VM the server's CPU per request measured the same with
 * both (docs/benchmarks.md), so it is a default, not a requirement. Ratis' own shaded Netty makes the
 * same choice for Raft traffic.
 */
public enum SocketTransport {
    EPOLL,
    NIO;

    /** Epoll when available, NIO otherwise. */
    public static SocketTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** {@code epoll} or {@code nio}, case-insensitively; {@code epoll} where it cannot load is an error naming the cause. */
    public static SocketTransport parse(String value) {
        String name = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (name.equals(NIO.name())) {
            return NIO;
        }
        if (name.equals(EPOLL.name())) {
            if (!Epoll.isAvailable()) {
                throw new IllegalArgumentException("the epoll transport is not available here: "
                        + Epoll.unavailabilityCause());
            }
            return EPOLL;
        }
        throw new IllegalArgumentException("transport must be 'epoll' or 'nio', was '" + value + "'");
    }

    /** The name an operator writes ({@code epoll}, {@code nio}), as logs print it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** An event-loop group of {@code threads} loops (0 = Netty's default, two per core). */
    public EventLoopGroup newGroup(int threads, ThreadFactory factory) {
        return switch (this) {
            case EPOLL -> new EpollEventLoopGroup(threads, factory);
            case NIO -> new NioEventLoopGroup(threads, factory);
        };
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends SocketChannel> clientChannel() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}
