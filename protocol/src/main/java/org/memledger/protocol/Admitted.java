package org.memledger.protocol;

import java.util.List;

/**
 * A deployment was admitted at log index {@code admittedIndex} onto {@code placements} (node ids in
 * placement order; empty for {@code replicas = ALL}, which runs on every eligible node: listing
 * thousands of validators in every answer would cost more than the decision). {@code remainingBytes} is
 * what was left for the next deployment of the same shape right after this one: the smallest
 * admissible among the chosen nodes (k replicas) or the replicated admissible (ALL).
 * {@code duplicate} is true when this answers a repeated, identical admission.
 */
public record Admitted(String deploymentId, List<String> placements, long remainingBytes, long admittedIndex,
                       boolean duplicate) implements Result {
    public Admitted {
        placements = List.copyOf(placements);
    }

    @Override
    public ResultKind kind() {
        return ResultKind.ADMITTED;
    }
}
