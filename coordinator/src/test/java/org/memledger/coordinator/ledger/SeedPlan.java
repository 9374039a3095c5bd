package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.List;

import org.memledger.protocol.workload.WorkloadShape;

/**
 * Which seeds the property tests run, and the workload each seed gets. Every seed names its own
 * shape and length, so a seed number alone replays a run exactly:
 *
 * <pre>
 *   -Dmemledger.seed=N        run only seed N
 *   -Dmemledger.seeds=K       run K seeds (default {@value #DEFAULT_SEEDS}) starting at memledger.firstSeed (default 1)
 *   -Dmemledger.entries=E     override the number of log entries per seed (the shape still follows the seed)
 * </pre>
 */
final class SeedPlan {
    static final int DEFAULT_SEEDS = 10;

    private static final long GIB = WorkloadShape.GIB;
    private static final long MIB = WorkloadShape.MIB;

    private SeedPlan() {
    }

    static List<Long> seeds() {
        String only = System.getProperty("memledger.seed");
        if (only != null && !only.isBlank()) {
            return List.of(Long.parseLong(only.trim()));
        }
        long first = Long.getLong("memledger.firstSeed", 1L);
        int count = Integer.getInteger("memledger.seeds", DEFAULT_SEEDS);
        List<Long> seeds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            seeds.add(first + i);
        }
        return seeds;
    }

    /** One of five workload families, by seed: large, small and full, mid-sized, churning, extreme sizes. */
    static Workload workloadFor(long seed) {
        Workload workload = switch ((int) Math.floorMod(seed, 5L)) {
            case 0 -> new Workload("large", WorkloadShape.large().toBuilder().nodeMinBytes(2 * GIB)
                    .nodeMaxBytes(12 * GIB).build(), 4_000);
            case 1 -> new Workload("small-full", WorkloadShape.small(), 3_000);
            case 2 -> new Workload("mid", WorkloadShape.defaults(), 4_000);
            case 3 -> new Workload("churn", churn(), 3_000);
            default -> new Workload("extreme-sizes", extremeSizes(), 2_000);
        };
        Integer entries = Integer.getInteger("memledger.entries");
        return entries == null ? workload : workload.withEntries(entries);
    }

    /** Nodes come and go, drain, change zones and sizes; policy changes often; many bad commands. */
    private static WorkloadShape churn() {
        return WorkloadShape.defaults().toBuilder().nodeCount(30).zoneCount(5).ownerCount(4)
                .nodeMinBytes(GIB).nodeMaxBytes(32 * GIB).deploymentMinBytes(8 * MIB).deploymentMaxBytes(8 * GIB)
                .replicas(new WorkloadShape.ReplicasMix(50, 30, 5, 20, 50))
                .commands(new WorkloadShape.CommandMix(8, 30, 30, 14, 3, 3, 4, 4, 8))
                .invalidPct(15).pausePerMille(8).slowClockPerMille(10).build();
    }

    /** Sizes near the top of the long range now and then: overflow hunting. */
    private static WorkloadShape extremeSizes() {
        return WorkloadShape.defaults().toBuilder().nodeCount(40).extremeSizePct(4).build();
    }

    record Workload(String name, WorkloadShape shape, int entries) {
        Workload withEntries(int count) {
            return new Workload(name, shape, count);
        }
    }
}
