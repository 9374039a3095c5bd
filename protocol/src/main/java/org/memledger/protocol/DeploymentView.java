package org.memledger.protocol;

import java.util.List;

/** A live deployment as the ledger holds it. Placements are empty for {@code replicas = ALL}. */
public record DeploymentView(String deploymentId, String owner, long minBytes, long firmBytes,
                             long reservationBytes, Replicas replicas, boolean zoneSpread, int priority,
                             DeploymentStatus status, List<String> placements, long admittedAtMillis,
                             long admittedIndex) {
    public DeploymentView {
        placements = List.copyOf(placements);
    }
}
