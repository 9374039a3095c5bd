package org.memledger.coordinator.raft;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link Replica} needs to start, with the defaults an operator would expect. Built with
 * {@link #builder}; {@link Builder#build} checks every value and names the first bad one.
 *
 * <p>Defaults: Netty transport; election timeout 1–2 s (Ratis' 150–300 ms suits a quiet LAN, not a
 * busy VM or CI box, and a spurious election costs more than a slower failover); 32 MiB log
 * segments; a snapshot every 100,000 log entries, two kept; the group-commit limits of
 * {@link SubmitterConfig#defaults()}; Ticks on; five seconds to drain on shutdown.
 */
public final class ReplicaConfig {
    private final ClusterIdentity identity;
    private final Path dataDir;
    private final RaftTransport transport;
    private final String bindHost;
    private final Duration electionTimeoutMin;
    private final Duration electionTimeoutMax;
    private final long segmentSizeBytes;
    private final boolean snapshotAutoTrigger;
    private final long snapshotThresholdEntries;
    private final int snapshotsRetained;
    private final boolean purgeUpToSnapshot;
    private final int purgeGapEntries;
    private final SubmitterConfig submitter;
    private final Clock clock;
    private final boolean ticks;
    private final Duration drainTimeout;
    private final boolean transferLeadershipOnClose;

    private ReplicaConfig(Builder b) {
        this.identity = b.identity;
        this.dataDir = b.dataDir;
        this.transport = b.transport;
        this.bindHost = b.bindHost;
        this.electionTimeoutMin = b.electionTimeoutMin;
        this.electionTimeoutMax = b.electionTimeoutMax;
        this.segmentSizeBytes = b.segmentSizeBytes;
        this.snapshotAutoTrigger = b.snapshotAutoTrigger;
        this.snapshotThresholdEntries = b.snapshotThresholdEntries;
        this.snapshotsRetained = b.snapshotsRetained;
        this.purgeUpToSnapshot = b.purgeUpToSnapshot;
        this.purgeGapEntries = b.purgeGapEntries;
        this.submitter = b.submitter;
        this.clock = b.clock;
        this.ticks = b.ticks;
        this.drainTimeout = b.drainTimeout;
        this.transferLeadershipOnClose = b.transferLeadershipOnClose;
    }

    public static Builder builder(ClusterIdentity identity, Path dataDir) {
        return new Builder(identity, dataDir);
    }

    public ClusterIdentity identity() {
        return identity;
    }

    public Path dataDir() {
        return dataDir;
    }

    public RaftTransport transport() {
        return transport;
    }

    /** The address the Raft server binds: the host of this replica's peer entry unless set. */
    public String bindHost() {
        return bindHost != null ? bindHost : identity.self().host();
    }

    public Duration electionTimeoutMin() {
        return electionTimeoutMin;
    }

    public Duration electionTimeoutMax() {
        return electionTimeoutMax;
    }

    public long segmentSizeBytes() {
        return segmentSizeBytes;
    }

    public boolean snapshotAutoTrigger() {
        return snapshotAutoTrigger;
    }

    public long snapshotThresholdEntries() {
        return snapshotThresholdEntries;
    }

    public int snapshotsRetained() {
        return snapshotsRetained;
    }

    public boolean purgeUpToSnapshot() {
        return purgeUpToSnapshot;
    }

    public int purgeGapEntries() {
        return purgeGapEntries;
    }

    public SubmitterConfig submitter() {
        return submitter;
    }

    public Clock clock() {
        return clock;
    }

    public boolean ticks() {
        return ticks;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    public boolean transferLeadershipOnClose() {
        return transferLeadershipOnClose;
    }

    /** Mutable until {@link #build}; every setter returns the builder. */
    public static final class Builder {
        private final ClusterIdentity identity;
        private final Path dataDir;
        private RaftTransport transport = RaftTransport.NETTY;
        private String bindHost;
        private Duration electionTimeoutMin = Duration.ofMillis(1_000);
        private Duration electionTimeoutMax = Duration.ofMillis(2_000);
        private long segmentSizeBytes = 32L << 20;
        private boolean snapshotAutoTrigger = true;
        private long snapshotThresholdEntries = 100_000;
        private int snapshotsRetained = 2;
        private boolean purgeUpToSnapshot;
        private int purgeGapEntries = 1_024;
        private SubmitterConfig submitter = SubmitterConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private boolean ticks = true;
        private Duration drainTimeout = Duration.ofSeconds(5);
        private boolean transferLeadershipOnClose = true;

        private Builder(ClusterIdentity identity, Path dataDir) {
            this.identity = Objects.requireNonNull(identity, "identity");
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        public Builder transport(RaftTransport value) {
            transport = Objects.requireNonNull(value, "transport");
            return this;
        }

        public Builder bindHost(String value) {
            bindHost = value;
            return this;
        }

        public Builder electionTimeout(Duration min, Duration max) {
            electionTimeoutMin = Objects.requireNonNull(min, "min");
            electionTimeoutMax = Objects.requireNonNull(max, "max");
            return this;
        }

        public Builder segmentSizeBytes(long value) {
            segmentSizeBytes = value;
            return this;
        }

        /** Snapshot when the log has grown by {@code thresholdEntries} since the last one (0 = never automatically). */
        public Builder snapshotThresholdEntries(long thresholdEntries) {
            snapshotAutoTrigger = thresholdEntries > 0;
            snapshotThresholdEntries = thresholdEntries > 0 ? thresholdEntries : 100_000;
            return this;
        }

        public Builder snapshotsRetained(int value) {
            snapshotsRetained = value;
            return this;
        }

        /**
         * Purge the log up to the newest snapshot even when a follower still needs older entries (it
         * then gets the snapshot installed). Off by default: a lagging follower catches up from the
         * log, which is cheaper than shipping a snapshot.
         */
        public Builder purgeUpToSnapshot(boolean value) {
            purgeUpToSnapshot = value;
            return this;
        }

        public Builder purgeGapEntries(int value) {
            purgeGapEntries = value;
            return this;
        }

        public Builder submitter(SubmitterConfig value) {
            submitter = Objects.requireNonNull(value, "submitter");
            return this;
        }

        /**
         * The wall clock this replica stamps log entries with while it leads (ledger time). Request
         * deadlines use the JVM's monotonic clock instead and are not affected.
         */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder ticks(boolean value) {
            ticks = value;
            return this;
        }

        public Builder drainTimeout(Duration value) {
            drainTimeout = Objects.requireNonNull(value, "drainTimeout");
            return this;
        }

        public Builder transferLeadershipOnClose(boolean value) {
            transferLeadershipOnClose = value;
            return this;
        }

        /** Checks every value; throws {@link IllegalArgumentException} naming the first bad one. */
        public ReplicaConfig build() {
            long min = electionTimeoutMin.toMillis();
            long max = electionTimeoutMax.toMillis();
            if (min < 50 || max <= min || max > 60_000) {
                throw new IllegalArgumentException("election timeout must satisfy 50 ms <= min < max <= 60 s, was "
                        + min + "-" + max + " ms");
            }
            if (segmentSizeBytes < (16L << 10) || segmentSizeBytes > (1L << 30)) {
                throw new IllegalArgumentException("log segment size must be 16KiB to 1GiB, was " + segmentSizeBytes);
            }
            if (snapshotThresholdEntries < 1) {
                throw new IllegalArgumentException("snapshot threshold must be positive, was " + snapshotThresholdEntries);
            }
            if (snapshotsRetained < 1 || snapshotsRetained > 100) {
                throw new IllegalArgumentException("snapshots retained must be 1 to 100, was " + snapshotsRetained);
            }
            if (purgeGapEntries < 1) {
                throw new IllegalArgumentException("purge gap must be positive, was " + purgeGapEntries);
            }
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("drain timeout must not be negative, was " + drainTimeout);
            }
            return new ReplicaConfig(this);
        }
    }
}
