package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;

/**
 * Live deployments by id and owners' running totals. Hash maps serve lookups only; anything
 * that must be ordered (snapshots, listings, displacement) sorts explicitly by id.
 */
final class DeploymentBook {
    private final HashMap<String, DeploymentRecord> deployments;
    private final HashMap<String, OwnerRecord> owners = new HashMap<>();

    DeploymentBook() {
        deployments = new HashMap<>();
    }

    /** Sized for {@code expectedDeployments} up front (a snapshot restore knows the count): no rehashing. */
    DeploymentBook(int expectedDeployments) {
        deployments = new HashMap<>(Math.max(16, (int) Math.min(1 << 30, expectedDeployments * 4L / 3 + 1)));
    }

    DeploymentRecord get(String deploymentId) {
        return deployments.get(deploymentId);
    }

    int size() {
        return deployments.size();
    }

    OwnerRecord owner(String owner) {
        return owners.computeIfAbsent(owner, OwnerRecord::new);
    }

    /** The owner's totals if it has any live deployment, else null (never creates). */
    OwnerRecord existingOwner(String owner) {
        return owners.get(owner);
    }

    void add(DeploymentRecord deployment) {
        DeploymentRecord previous = deployments.put(deployment.deploymentId, deployment);
        Invariants.check(previous == null, "deployment id admitted twice");
        OwnerRecord owner = deployment.owner;
        owner.reservedBytes = Math.addExact(owner.reservedBytes, deployment.quotaChargeBytes);
        owner.deployments++;
    }

    /**
     * Takes the live deployment with this id out of the book, or returns null if there is none. One
     * lookup serves both the check and the removal: the million-entry map is far larger than the
     * caches, and a released deployment is usually the oldest, so every lookup is a cache miss.
     */
    DeploymentRecord remove(String deploymentId) {
        DeploymentRecord deployment = deployments.remove(deploymentId);
        if (deployment == null) {
            return null;
        }
        OwnerRecord owner = deployment.owner;
        owner.reservedBytes -= deployment.quotaChargeBytes;
        owner.deployments--;
        Invariants.check(owner.reservedBytes >= 0 && owner.deployments >= 0, "owner totals went negative");
        if (owner.deployments == 0) {
            owners.remove(owner.owner);
        }
        return deployment;
    }

    /** All live deployments sorted by id: O(d log d), for snapshots and listings, never for decisions. */
    @SuppressForbidden(reason = "sorted by id before anyone sees the order")
    List<DeploymentRecord> sortedById() {
        List<DeploymentRecord> sorted = new ArrayList<>(deployments.values());
        sorted.sort((a, b) -> a.deploymentId.compareTo(b.deploymentId));
        return sorted;
    }

    /** The deployments placed on {@code node}, sorted by id: a scan of the whole book, O(d + h log h). */
    @SuppressForbidden(reason = "sorted by id before anyone sees the order")
    List<DeploymentRecord> placedOn(NodeRecord node) {
        List<DeploymentRecord> placed = new ArrayList<>(node.hostedCount);
        for (DeploymentRecord deployment : deployments.values()) {
            if (deployment.isPlacedOn(node)) {
                placed.add(deployment);
            }
        }
        placed.sort((a, b) -> a.deploymentId.compareTo(b.deploymentId));
        return placed;
    }

    /** For audits only: the order is arbitrary. */
    @SuppressForbidden(reason = "callers only check each owner independently")
    Collection<OwnerRecord> ownersUnordered() {
        return owners.values();
    }
}
