package org.memledger.coordinator.ledger;

import java.util.Arrays;

/**
 * Every node ever registered, by ordinal: the order in which they registered, never reused (an
 * ejected node keeps its ordinal, as {@link NodeBook} keeps the node).
 *
 * <p>Why: the placement ordering ({@link KeyOrderedNodes}) shifts entries on every attach and
 * detach. Shifting an array of node references makes the garbage collector's write barrier dirty
 * the cards it covers, and G1's refinement threads then rescan each dirty card on the other core.
 * Shifting an {@code int[]} of ordinals is a plain copy with no barrier; the node is looked up
 * here only when a caller asks for it.
 */
final class NodeRoster {
    private NodeRecord[] nodes = new NodeRecord[16];
    private int size;

    /** Gives {@code node} the next ordinal. */
    void enroll(NodeRecord node) {
        Invariants.check(node.ordinal < 0, "node enrolled twice");
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
        }
        node.ordinal = size;
        nodes[size++] = node;
    }

    /** How many nodes were ever enrolled: ordinals run from 0 to {@code size() - 1}. */
    int size() {
        return size;
    }

    NodeRecord get(int ordinal) {
        return nodes[ordinal];
    }

    /** Is {@code node} the one enrolled under its ordinal? */
    boolean holds(NodeRecord node) {
        return node.ordinal >= 0 && node.ordinal < size && nodes[node.ordinal] == node;
    }
}
