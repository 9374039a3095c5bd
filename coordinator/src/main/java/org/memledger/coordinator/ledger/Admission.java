package org.memledger.coordinator.ledger;

import java.util.List;
import java.util.Optional;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.ReserveMode;

/**
 * The admission rules of DESIGN §3.3, as a pure decision over the current books. Checks run in
 * the documented order and the first failure decides the reason; every rejection carries the
 * largest firm limit that would be admitted right now with the same shape.
 *
 * <p>Invariant kept: a placed node's admissible was at least the firm limit, so after reserving
 * (at most the firm limit) its reserved stays within capacity minus headroom.
 */
final class Admission {
    private final NodeBook nodes;
    private final DeploymentBook deployments;

    Admission(NodeBook nodes, DeploymentBook deployments) {
        this.nodes = nodes;
        this.deployments = deployments;
    }

    AdmissionDecision decide(Admit admit, Policy policy) {
        long firm = admit.firmBytes() != null ? admit.firmBytes() : policy.defaultFirmBytes();
        long min = admit.minBytes() != null ? admit.minBytes() : firm;

        Optional<String> badBounds = boundsProblem(admit, min, firm, policy);
        if (badBounds.isPresent()) {
            return reject(admit, RejectReason.INVALID_BOUNDS, badBounds.get(), policy);
        }
        DeploymentRecord existing = deployments.get(admit.deploymentId());
        if (existing != null) {
            if (sameSpec(existing, admit, min, firm)) {
                return new AdmissionDecision.Answer(originalAnswer(existing));
            }
            return reject(admit, RejectReason.DUPLICATE_ID, "deployment '" + admit.deploymentId()
                    + "' already exists with a different spec; release it first or use a new id", policy);
        }
        long reservation = policy.reserveMode() == ReserveMode.MIN ? min : firm;
        int count = placementCount(admit);
        long charge = saturatedMultiply(reservation, count);
        Optional<Long> quota = policy.quotaFor(admit.owner());
        long ownerReserved = ownerReserved(admit.owner());
        if (quota.isPresent() && saturatedAdd(ownerReserved, charge) > quota.get()) {
            return reject(admit, RejectReason.QUOTA_EXCEEDED, "owner '" + admit.owner() + "' has " + ownerReserved
                    + " of its " + quota.get() + " quota bytes reserved; this deployment needs " + charge, policy);
        }
        if (saturatedAdd(ownerReserved, charge) == Long.MAX_VALUE) {
            // Only absurd sizes get here, but apply must never throw: refuse rather than overflow the books.
            return reject(admit, RejectReason.QUOTA_EXCEEDED, "owner '" + admit.owner()
                    + "' would hold more than " + Long.MAX_VALUE + " reserved bytes", policy);
        }
        return admit.replicas().isAll()
                ? placeEverywhere(admit, min, firm, reservation, charge, policy)
                : placeOnK(admit, min, firm, reservation, charge, policy);
    }

    private AdmissionDecision placeEverywhere(Admit admit, long min, long firm, long reservation, long charge,
                                              Policy policy) {
        PlacementIndex index = nodes.placement();
        if (index.size() == 0) {
            return reject(admit, RejectReason.NO_ELIGIBLE_NODES, "no node admits deployments right now", policy);
        }
        long replicatedAdmissible = nodes.admissibleForKey(index.minKey());
        if (replicatedAdmissible < firm) {
            return reject(admit, RejectReason.INSUFFICIENT_MEMORY, "replicas=ALL needs " + firm
                    + " bytes on every admitting node; the smallest has " + replicatedAdmissible, policy);
        }
        return new AdmissionDecision.Place(min, firm, reservation, charge, List.of());
    }

    private AdmissionDecision placeOnK(Admit admit, long min, long firm, long reservation, long charge,
                                       Policy policy) {
        int k = admit.replicas().count();
        PlacementIndex index = nodes.placement();
        long key = nodes.keyToFit(firm);
        List<NodeRecord> chosen = admit.zoneSpread()
                ? index.bestFitSpread(key, k, DeploymentRecord.NO_NODES)
                : index.bestFit(key, k, DeploymentRecord.NO_NODES);
        if (chosen.size() == k) {
            return new AdmissionDecision.Place(min, firm, reservation, charge, chosen);
        }
        int available = admit.zoneSpread() ? index.zoneCount() : index.size();
        if (available < k) {
            String what = admit.zoneSpread() ? " zones with admitting nodes" : " admitting nodes";
            return reject(admit, RejectReason.NO_ELIGIBLE_NODES, "needs " + k + (admit.zoneSpread()
                    ? " distinct zones" : " distinct nodes") + " but there are only " + available + what, policy);
        }
        return reject(admit, RejectReason.INSUFFICIENT_MEMORY, "needs " + firm + " bytes on " + k
                + (admit.zoneSpread() ? " nodes in distinct zones" : " distinct nodes") + "; only " + chosen.size()
                + " have that much admissible", policy);
    }

    /** The largest firm limit that {@link #decide} would admit right now for this shape, 0 if none. */
    long maxAdmissibleBytes(Admit admit, Policy policy) {
        PlacementIndex index = nodes.placement();
        long bound;
        if (admit.replicas().isAll()) {
            bound = index.size() == 0 ? 0 : nodes.admissibleForKey(index.minKey());
        } else {
            int k = admit.replicas().count();
            bound = nodes.admissibleForKey(admit.zoneSpread() ? index.kthLargestZoneKey(k) : index.kthLargestKey(k));
        }
        bound = Math.min(bound, policy.maxFirmBytes());
        Optional<Long> quota = policy.quotaFor(admit.owner());
        if (quota.isPresent()) {
            long room = Math.max(0, quota.get() - ownerReserved(admit.owner()));
            int count = Math.max(1, placementCount(admit));
            boolean reservesFixedMin = policy.reserveMode() == ReserveMode.MIN && admit.minBytes() != null;
            if (reservesFixedMin) {
                bound = saturatedMultiply(admit.minBytes(), count) <= room ? bound : 0;
            } else {
                bound = Math.min(bound, room / count);
            }
        }
        long smallestFirm = admit.minBytes() != null ? Math.max(1, admit.minBytes()) : 1;
        return bound >= smallestFirm ? bound : 0;
    }

    private AdmissionDecision reject(Admit admit, RejectReason reason, String message, Policy policy) {
        return new AdmissionDecision.Answer(new Rejected(admit.deploymentId(), reason, message,
                maxAdmissibleBytes(admit, policy)));
    }

    private static Optional<String> boundsProblem(Admit admit, long min, long firm, Policy policy) {
        if (firm <= 0) {
            return Optional.of("firmBytes must be positive, was " + firm);
        }
        if (min <= 0) {
            return Optional.of("minBytes must be positive, was " + min);
        }
        if (min > firm) {
            return Optional.of("minBytes (" + min + ") must not exceed firmBytes (" + firm + ")"
                    + (admit.firmBytes() == null ? ", the policy default" : ""));
        }
        if (firm > policy.maxFirmBytes()) {
            return Optional.of("firmBytes (" + firm + ") exceeds the policy maximum maxFirmBytes ("
                    + policy.maxFirmBytes() + ")");
        }
        return Optional.empty();
    }

    private static boolean sameSpec(DeploymentRecord existing, Admit admit, long min, long firm) {
        return existing.owner.owner.equals(admit.owner()) && existing.minBytes == min && existing.firmBytes == firm
                && existing.replicas == admit.replicas().count() && existing.zoneSpread == admit.zoneSpread()
                && existing.priority == admit.priority();
    }

    /** The first answer, rebuilt from the record: identical retries see identical answers. */
    static Admitted originalAnswer(DeploymentRecord deployment) {
        return new Admitted(deployment.deploymentId, placementIds(deployment), deployment.remainingBytesAtAdmission,
                deployment.admittedIndex, true);
    }

    static List<String> placementIds(DeploymentRecord deployment) {
        if (deployment.placements.length == 1) {
            return deployment.placements[0].soleIds;
        }
        String[] ids = new String[deployment.placements.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = deployment.placements[i].nodeId;
        }
        return List.of(ids);
    }

    /** Placements charged to the quota: k, or every admitting node for ALL. */
    private int placementCount(Admit admit) {
        return admit.replicas().isAll() ? nodes.placement().size() : admit.replicas().count();
    }

    private long ownerReserved(String owner) {
        OwnerRecord record = deployments.existingOwner(owner);
        return record == null ? 0 : record.reservedBytes;
    }

    private static long saturatedMultiply(long a, int b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
