package org.memledger.protocol.workload;

/**
 * The knobs of a generated workload ({@link CommandSequence}): how big the cluster is, how big the
 * deployments are, which commands come how often, and how much of the input is deliberately bad.
 * A shape is plain data, so a test, a simulator scenario or a benchmark can name it, print it and
 * replay it with a seed.
 *
 * <p>Shares are whole percent ({@code Pct}) or per mille ({@code PerMille}) of entries, weights are
 * relative (a kind with weight 0 never appears). Sizes are bytes, times milliseconds.
 *
 * @param nodeCount          nodes registered and reported at the start; new ones join while fewer than
 *                           nodeCount × 5/4 are neither drained nor removed
 * @param zoneCount          zones the nodes are spread over
 * @param ownerCount         deployment owners
 * @param nodeMinBytes       smallest declared node memory
 * @param nodeMaxBytes       largest declared node memory
 * @param deploymentMinBytes smallest firm limit asked for
 * @param deploymentMaxBytes largest firm limit asked for
 * @param replicas           how admissions choose replicas and zone spread
 * @param commands           how often each command kind appears
 * @param invalidPct         commands that are deliberately malformed or refused by a business rule
 * @param timeAdvancePct     entries whose time stamp moves forward (the others repeat the previous one)
 * @param maxStepMillis      largest ordinary forward step
 * @param pausePerMille      entries preceded by a long silence (5 to 60 s), which lets nodes go DOWN
 * @param slowClockPerMille  entries stamped earlier than their predecessor (a new leader with a slow clock)
 * @param extremeSizePct     sizes drawn near the top of the {@code long} range instead of the ranges above
 *                           (and, ten times as often, a maxFirmBytes of Long.MAX_VALUE in policy changes)
 * @param maxBatchCommands   largest Batch the generator writes (at least 2)
 */
public record WorkloadShape(int nodeCount, int zoneCount, int ownerCount, long nodeMinBytes, long nodeMaxBytes,
                            long deploymentMinBytes, long deploymentMaxBytes, ReplicasMix replicas,
                            CommandMix commands, int invalidPct, int timeAdvancePct, long maxStepMillis,
                            int pausePerMille, int slowClockPerMille, int extremeSizePct, int maxBatchCommands) {

    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    public WorkloadShape {
        require(nodeCount >= 1, "nodeCount must be at least 1");
        require(zoneCount >= 1, "zoneCount must be at least 1");
        require(ownerCount >= 1, "ownerCount must be at least 1");
        require(nodeMinBytes >= 1 && nodeMinBytes <= nodeMaxBytes, "need 1 <= nodeMinBytes <= nodeMaxBytes");
        require(deploymentMinBytes >= 1 && deploymentMinBytes <= deploymentMaxBytes,
                "need 1 <= deploymentMinBytes <= deploymentMaxBytes");
        require(replicas != null && commands != null, "replicas and commands are required");
        require(isPct(invalidPct) && isPct(timeAdvancePct) && isPct(extremeSizePct), "percentages are 0..100");
        require(maxStepMillis >= 1, "maxStepMillis must be at least 1");
        require(isPerMille(pausePerMille) && isPerMille(slowClockPerMille), "per-mille shares are 0..1000");
        require(maxBatchCommands >= 2, "maxBatchCommands must be at least 2");
    }

    /** A mid-sized cluster: 100 nodes of 4 to 64 GiB in 4 zones, deployments of 16 MiB to 4 GiB. */
    public static WorkloadShape defaults() {
        return new WorkloadShape(100, 4, 8, 4 * GIB, 64 * GIB, 16 * MIB, 4 * GIB, ReplicasMix.defaults(),
                CommandMix.defaults(), 8, 70, 40, 2, 3, 0, 12);
    }

    /** A few small nodes and large deployments: the cluster is full most of the time. */
    public static WorkloadShape small() {
        return defaults().toBuilder().nodeCount(8).zoneCount(3).ownerCount(3).nodeMinBytes(2 * GIB)
                .nodeMaxBytes(16 * GIB).deploymentMinBytes(64 * MIB).deploymentMaxBytes(6 * GIB).build();
    }

    /** Hundreds of nodes in many zones. */
    public static WorkloadShape large() {
        return defaults().toBuilder().nodeCount(400).zoneCount(12).ownerCount(40).maxBatchCommands(32).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static boolean isPct(int value) {
        return value >= 0 && value <= 100;
    }

    private static boolean isPerMille(int value) {
        return value >= 0 && value <= 1000;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("WorkloadShape: " + message);
        }
    }

    /**
     * How admissions ask for replicas: one replica, a few (2 to {@code maxMulti}), or ALL, by weight;
     * {@code zoneSpreadPct} of admissions ask for distinct zones.
     */
    public record ReplicasMix(int singleWeight, int multiWeight, int maxMulti, int allWeight, int zoneSpreadPct) {
        public ReplicasMix {
            require(singleWeight >= 0 && multiWeight >= 0 && allWeight >= 0, "replica weights must not be negative");
            require(singleWeight + multiWeight + allWeight > 0, "some replica weight must be positive");
            require(maxMulti >= 2, "maxMulti must be at least 2");
            require(isPct(zoneSpreadPct), "zoneSpreadPct is 0..100");
        }

        public static ReplicasMix defaults() {
            return new ReplicasMix(70, 22, 4, 8, 30);
        }

        int total() {
            return singleWeight + multiWeight + allWeight;
        }
    }

    /** Relative weights of the command kinds written outside the start-up phase. */
    public record CommandMix(int registerWeight, int reportWeight, int admitWeight, int releaseWeight,
                             int drainWeight, int removeWeight, int tickWeight, int setPolicyWeight,
                             int batchWeight) {
        public CommandMix {
            int[] all = {registerWeight, reportWeight, admitWeight, releaseWeight, drainWeight, removeWeight,
                    tickWeight, setPolicyWeight, batchWeight};
            int total = 0;
            for (int weight : all) {
                require(weight >= 0, "command weights must not be negative");
                total += weight;
            }
            require(total - batchWeight > 0, "some non-batch command weight must be positive");
        }

        public static CommandMix defaults() {
            return new CommandMix(3, 30, 36, 16, 1, 1, 5, 1, 7);
        }

        /** The weights in a fixed order; the generator's draw follows this order. */
        int[] weights() {
            return new int[] {registerWeight, reportWeight, admitWeight, releaseWeight, drainWeight, removeWeight,
                    tickWeight, setPolicyWeight, batchWeight};
        }
    }

    /** Changes a few knobs of a shape without restating the others. */
    public static final class Builder {
        private int nodeCount;
        private int zoneCount;
        private int ownerCount;
        private long nodeMinBytes;
        private long nodeMaxBytes;
        private long deploymentMinBytes;
        private long deploymentMaxBytes;
        private ReplicasMix replicas;
        private CommandMix commands;
        private int invalidPct;
        private int timeAdvancePct;
        private long maxStepMillis;
        private int pausePerMille;
        private int slowClockPerMille;
        private int extremeSizePct;
        private int maxBatchCommands;

        private Builder(WorkloadShape s) {
            nodeCount = s.nodeCount;
            zoneCount = s.zoneCount;
            ownerCount = s.ownerCount;
            nodeMinBytes = s.nodeMinBytes;
            nodeMaxBytes = s.nodeMaxBytes;
            deploymentMinBytes = s.deploymentMinBytes;
            deploymentMaxBytes = s.deploymentMaxBytes;
            replicas = s.replicas;
            commands = s.commands;
            invalidPct = s.invalidPct;
            timeAdvancePct = s.timeAdvancePct;
            maxStepMillis = s.maxStepMillis;
            pausePerMille = s.pausePerMille;
            slowClockPerMille = s.slowClockPerMille;
            extremeSizePct = s.extremeSizePct;
            maxBatchCommands = s.maxBatchCommands;
        }

        public Builder nodeCount(int value) {
            nodeCount = value;
            return this;
        }

        public Builder zoneCount(int value) {
            zoneCount = value;
            return this;
        }

        public Builder ownerCount(int value) {
            ownerCount = value;
            return this;
        }

        public Builder nodeMinBytes(long value) {
            nodeMinBytes = value;
            return this;
        }

        public Builder nodeMaxBytes(long value) {
            nodeMaxBytes = value;
            return this;
        }

        public Builder deploymentMinBytes(long value) {
            deploymentMinBytes = value;
            return this;
        }

        public Builder deploymentMaxBytes(long value) {
            deploymentMaxBytes = value;
            return this;
        }

        public Builder replicas(ReplicasMix value) {
            replicas = value;
            return this;
        }

        public Builder commands(CommandMix value) {
            commands = value;
            return this;
        }

        public Builder invalidPct(int value) {
            invalidPct = value;
            return this;
        }

        public Builder timeAdvancePct(int value) {
            timeAdvancePct = value;
            return this;
        }

        public Builder maxStepMillis(long value) {
            maxStepMillis = value;
            return this;
        }

        public Builder pausePerMille(int value) {
            pausePerMille = value;
            return this;
        }

        public Builder slowClockPerMille(int value) {
            slowClockPerMille = value;
            return this;
        }

        public Builder extremeSizePct(int value) {
            extremeSizePct = value;
            return this;
        }

        public Builder maxBatchCommands(int value) {
            maxBatchCommands = value;
            return this;
        }

        public WorkloadShape build() {
            return new WorkloadShape(nodeCount, zoneCount, ownerCount, nodeMinBytes, nodeMaxBytes,
                    deploymentMinBytes, deploymentMaxBytes, replicas, commands, invalidPct, timeAdvancePct,
                    maxStepMillis, pausePerMille, slowClockPerMille, extremeSizePct, maxBatchCommands);
        }
    }
}
