package org.memledger.protocol.workload;

import static org.memledger.protocol.workload.Draw.between;

import java.util.SplittableRandom;
import java.util.TreeMap;

import org.memledger.protocol.Policy;
import org.memledger.protocol.ReserveMode;

/**
 * Policy changes an administrator might make: mostly one plausible value changed (the cluster stays
 * usable for the workload's deployment sizes), sometimes one value out of its documented range.
 */
final class PolicyTweaks {
    private static final long MIB = WorkloadShape.MIB;
    private static final long GIB = WorkloadShape.GIB;

    private PolicyTweaks() {
    }

    /** {@code current} with one value changed to another valid one. */
    static Policy valid(SplittableRandom random, Policy current, WorkloadShape shape) {
        Policy.Builder b = current.toBuilder();
        long deploymentMax = shape.deploymentMaxBytes();
        switch (random.nextInt(10)) {
            case 0 -> b.headroomPct(between(random, 0, 10));
            case 1 -> b.systemReservePct(between(random, 0, 30));
            case 2 -> b.systemReserveMaxBytes(between(random, GIB / 2, 8 * GIB));
            case 3 -> b.reserveMode(current.reserveMode() == ReserveMode.FIRM ? ReserveMode.MIN : ReserveMode.FIRM);
            case 4 -> b.defaultFirmBytes(between(random, Math.min(MIB, current.maxFirmBytes()),
                    Math.min(current.maxFirmBytes(), 512 * MIB)));
            case 5 -> b.maxFirmBytes(shape.extremeSizePct() > 0 && Draw.pct(random, shape.extremeSizePct() * 10)
                    ? Long.MAX_VALUE
                    : between(random, Math.max(current.defaultFirmBytes(), deploymentMax / 2),
                    Math.max(current.defaultFirmBytes(), Draw.saturatedMultiply(deploymentMax, 2))));
            case 6 -> b.heartbeatTimeoutMillis(between(random, 10_000L, 60_000L));
            case 7 -> b.defaultOwnerQuotaBytes(random.nextBoolean() ? null : quota(random, shape));
            case 8 -> b.ownerQuotaBytes(withOwnerQuota(random, current, shape));
            default -> b.tickMillis(between(random, 100L, 5_000L));
        }
        return b.build();
    }

    /** {@code current} with one value out of range, so {@link Policy#validate()} refuses it. */
    static Policy invalid(SplittableRandom random, Policy current) {
        Policy.Builder b = current.toBuilder();
        switch (random.nextInt(13)) {
            case 0 -> b.tickMillis(random.nextBoolean() ? between(random, -5L, 9L) : 3_600_001L);
            case 1 -> b.systemReservePct(random.nextBoolean() ? -1 : between(random, 91, 200));
            case 2 -> b.systemReserveMaxBytes(-between(random, 1L, GIB));
            case 3 -> b.headroomPct(random.nextBoolean() ? -1 : between(random, 51, 100));
            case 4 -> b.maxFirmBytes(-between(random, 0L, GIB));
            case 5 -> b.defaultFirmBytes(current.maxFirmBytes() < Long.MAX_VALUE && random.nextBoolean()
                    ? current.maxFirmBytes() + 1 : 0);
            case 6 -> b.heartbeatTimeoutMillis(between(random, -1L, 99L));
            case 7 -> b.minNodeBytes(-between(random, 1L, GIB));
            case 8 -> b.ejectionGraceMillis(-between(random, 1L, 1_000L));
            case 9 -> b.hysteresisPct(random.nextBoolean() ? -1 : 51);
            case 10 -> b.lowCapacityPct(random.nextBoolean() ? -1 : 101);
            case 11 -> b.defaultOwnerQuotaBytes(-between(random, 1L, GIB));
            default -> {
                TreeMap<String, Long> quotas = new TreeMap<>(current.ownerQuotaBytes());
                if (random.nextBoolean()) {
                    quotas.put("not an id", GIB);
                } else {
                    quotas.put("o-0", -between(random, 1L, GIB));
                }
                b.ownerQuotaBytes(quotas);
            }
        }
        return b.build();
    }

    private static TreeMap<String, Long> withOwnerQuota(SplittableRandom random, Policy current, WorkloadShape shape) {
        TreeMap<String, Long> quotas = new TreeMap<>(current.ownerQuotaBytes());
        String owner = CommandSequence.ownerId(random.nextInt(shape.ownerCount()));
        if (quotas.containsKey(owner) && random.nextBoolean()) {
            quotas.remove(owner);
        } else {
            quotas.put(owner, random.nextInt(8) == 0 ? 0 : quota(random, shape));
        }
        return quotas;
    }

    /** A quota from a few deployments' worth up to a fair share of the whole cluster. */
    private static long quota(SplittableRandom random, WorkloadShape shape) {
        long low = Draw.saturatedMultiply(shape.deploymentMaxBytes(), 4);
        long cluster = Draw.saturatedMultiply(shape.nodeMaxBytes(), shape.nodeCount());
        return Draw.logUniform(random, low, Math.max(low, cluster / shape.ownerCount()));
    }
}
