package org.memledger.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Registers a node or re-declares an existing one (operator, zone, labels, declared memory).
 * Labels are kept sorted (natural order) so that encoding, hashing and snapshots are canonical, and
 * unmodifiable: a command is a value, and the ledger keeps the map it was given.
 */
public record RegisterNode(String nodeId, String operator, String zone, SortedMap<String, String> labels,
                           long declaredBytes) implements Command {
    public RegisterNode {
        labels = Collections.unmodifiableSortedMap(labels == null ? new TreeMap<>()
                : new TreeMap<>((Map<String, String>) labels));
    }

    public static RegisterNode of(String nodeId, String operator, String zone, long declaredBytes) {
        return new RegisterNode(nodeId, operator, zone, new TreeMap<>(), declaredBytes);
    }

    public static RegisterNode of(String nodeId, String operator, String zone, Map<String, String> labels,
                                  long declaredBytes) {
        return new RegisterNode(nodeId, operator, zone, new TreeMap<>(Objects.requireNonNull(labels)), declaredBytes);
    }

    @Override
    public CommandKind kind() {
        return CommandKind.REGISTER_NODE;
    }
}
