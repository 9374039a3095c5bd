package org.memledger.coordinator.raft;

import org.memledger.protocol.Identifiers;

/** One member of the Raft group: its replica id and the host and port its Raft transport listens on. */
public record Peer(String id, String host, int port) {
    public Peer {
        if (!Identifiers.isValid(id)) {
            throw new IllegalArgumentException(Identifiers.explain("peer id", id));
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("peer " + id + ": host is required");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("peer " + id + ": port must be 1 to 65535, was " + port);
        }
    }

    /** {@code host:port}, with IPv6 literals in brackets. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return id + "=" + address();
    }
}
