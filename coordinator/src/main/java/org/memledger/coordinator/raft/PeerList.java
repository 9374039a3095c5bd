package org.memledger.coordinator.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.memledger.protocol.Identifiers;

/**
 * The static membership of a Raft group, in the order given, parsed from the flag form
 * {@code n1=10.0.0.1:7071,n2=10.0.0.2:7071,n3=[fd00::3]:7071}. Every replica of a cluster must be
 * started with the same list; the data dir remembers it ({@link DataDirIdentity}).
 */
public final class PeerList {
    /** Raft needs a majority; past this a group is slow for no gain in safety. */
    public static final int MAX_PEERS = 9;

    private final List<Peer> peers;

    private PeerList(List<Peer> peers) {
        this.peers = List.copyOf(peers);
    }

    public static PeerList of(List<Peer> peers) {
        return new PeerList(checked(peers));
    }

    /**
     * Parses the flag form. Throws {@link IllegalArgumentException} with a one-line message naming
     * the offending item.
     */
    public static PeerList parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("peer list is empty; expected id=host:port[,id=host:port...]");
        }
        List<Peer> peers = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            peers.add(parsePeer(item.strip()));
        }
        return new PeerList(checked(peers));
    }

    private static Peer parsePeer(String item) {
        String expected = "; expected id=host:port, for example n1=10.0.0.1:7071";
        int equals = item.indexOf('=');
        if (item.isEmpty()) {
            throw new IllegalArgumentException("peer list has an empty item" + expected);
        }
        if (equals <= 0) {
            throw new IllegalArgumentException("peer '" + item + "' has no id" + expected);
        }
        String id = item.substring(0, equals).strip();
        String address = item.substring(equals + 1).strip();
        if (!Identifiers.isValid(id)) {
            throw new IllegalArgumentException("peer '" + item + "': " + Identifiers.explain("id", id));
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("peer '" + item + "' has no host:port" + expected);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("peer '" + item + "': write IPv6 hosts in brackets, as [fd00::1]:7071");
        }
        if (host.isEmpty() || host.indexOf('=') >= 0 || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("peer '" + item + "' has an invalid host '" + host + "'" + expected);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer '" + item + "' has a non-numeric port" + expected);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("peer '" + item + "': port must be 1 to 65535, was " + port);
        }
        return new Peer(id, host, port);
    }

    private static List<Peer> checked(List<Peer> peers) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("peer list is empty; expected id=host:port[,id=host:port...]");
        }
        if (peers.size() > MAX_PEERS) {
            throw new IllegalArgumentException("at most " + MAX_PEERS + " peers per group, got " + peers.size());
        }
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (Peer peer : peers) {
            if (!ids.add(peer.id())) {
                throw new IllegalArgumentException("peer id '" + peer.id() + "' appears twice in the peer list");
            }
            if (!addresses.add(peer.address())) {
                throw new IllegalArgumentException("address " + peer.address() + " appears twice in the peer list");
            }
        }
        return peers;
    }

    public List<Peer> peers() {
        return peers;
    }

    public int size() {
        return peers.size();
    }

    public Optional<Peer> find(String id) {
        for (Peer peer : peers) {
            if (peer.id().equals(id)) {
                return Optional.of(peer);
            }
        }
        return Optional.empty();
    }

    /** The flag form, which {@link #parse} reads back to an equal list. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Peer peer : peers) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(peer);
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PeerList && ((PeerList) other).peers.equals(peers);
    }

    @Override
    public int hashCode() {
        return peers.hashCode();
    }
}
