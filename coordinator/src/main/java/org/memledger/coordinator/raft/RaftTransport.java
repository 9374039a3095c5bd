package org.memledger.coordinator.raft;

import java.util.Locale;

import org.apache.ratis.rpc.SupportedRpcType;

/**
 * The Raft transport between replicas (and from a replica's client to the leader). Netty is the
 * default: it is simpler and the group-commit submitter makes per-entry cost matter less. gRPC
 * pipelines appends and does better under many small entries; it is a setting, not a rebuild.
 */
public enum RaftTransport {
    NETTY(SupportedRpcType.NETTY),
    GRPC(SupportedRpcType.GRPC);

    private final SupportedRpcType rpcType;

    RaftTransport(SupportedRpcType rpcType) {
        this.rpcType = rpcType;
    }

    SupportedRpcType rpcType() {
        return rpcType;
    }

    /** Parses {@code netty} or {@code grpc}, case-insensitively. */
    public static RaftTransport parse(String text) {
        String name = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (RaftTransport transport : values()) {
            if (transport.name().equals(name)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("unknown Raft transport '" + text + "'; expected netty or grpc");
    }
}
