package org.memledger.coordinator.raft;

import org.memledger.protocol.CommandValidator;

/**
 * Limits of the group-commit {@link CommandSubmitter}. Every one is a bound (STYLE: a limit on
 * everything): how many commands share a Raft entry, how many bytes, how long the first command
 * of a batch may wait for company, how many commands a replica holds at once, how many Raft calls
 * it has outstanding.
 *
 * <p>Why only two Raft calls in flight by default: Ratis' Netty server handles a connection's requests
 * one at a time until each commits, so more outstanding calls do not overlap; they only split the
 * waiting commands into more, smaller entries. Measured in-process with three replicas and 48
 * callers: 8 in flight gave 1.3 commands per entry, 2 gave 5, for about three times the throughput.
 * gRPC pipelines appends, but in the same test it too did best with few calls in flight.
 *
 * @param maxBatchCommands    commands per Raft entry (1 to {@link CommandValidator#MAX_BATCH_COMMANDS})
 * @param maxBatchBytes       encoded bytes per Raft entry; a single larger command still goes, alone
 * @param lingerMicros        how long a batch waits for more commands while another batch is in flight
 * @param maxInFlightCommands commands accepted and not yet answered; beyond it submit fails fast
 * @param maxInFlightBatches  Raft calls outstanding at once; further commands queue and batch up (on a
 *                            follower one at a time, see {@link CommandSubmitter})
 */
public record SubmitterConfig(int maxBatchCommands, int maxBatchBytes, long lingerMicros, int maxInFlightCommands,
                              int maxInFlightBatches) {

    public SubmitterConfig {
        if (maxBatchCommands < 1 || maxBatchCommands > CommandValidator.MAX_BATCH_COMMANDS) {
            throw new IllegalArgumentException("maxBatchCommands must be 1 to " + CommandValidator.MAX_BATCH_COMMANDS
                    + ", was " + maxBatchCommands);
        }
        if (maxBatchBytes < 1024) {
            throw new IllegalArgumentException("maxBatchBytes must be at least 1024, was " + maxBatchBytes);
        }
        if (lingerMicros < 0 || lingerMicros > 1_000_000) {
            throw new IllegalArgumentException("lingerMicros must be 0 to 1000000, was " + lingerMicros);
        }
        if (maxInFlightCommands < 1) {
            throw new IllegalArgumentException("maxInFlightCommands must be positive, was " + maxInFlightCommands);
        }
        if (maxInFlightBatches < 1 || maxInFlightBatches > 1_000) {
            throw new IllegalArgumentException("maxInFlightBatches must be 1 to 1000, was " + maxInFlightBatches);
        }
    }

    public static SubmitterConfig defaults() {
        return new SubmitterConfig(1_000, 4 << 20, 1_000, 20_000, 2);
    }

    public SubmitterConfig withMaxBatchCommands(int value) {
        return new SubmitterConfig(value, maxBatchBytes, lingerMicros, maxInFlightCommands, maxInFlightBatches);
    }

    public SubmitterConfig withMaxBatchBytes(int value) {
        return new SubmitterConfig(maxBatchCommands, value, lingerMicros, maxInFlightCommands, maxInFlightBatches);
    }

    public SubmitterConfig withLingerMicros(long value) {
        return new SubmitterConfig(maxBatchCommands, maxBatchBytes, value, maxInFlightCommands, maxInFlightBatches);
    }

    public SubmitterConfig withMaxInFlightCommands(int value) {
        return new SubmitterConfig(maxBatchCommands, maxBatchBytes, lingerMicros, value, maxInFlightBatches);
    }

    public SubmitterConfig withMaxInFlightBatches(int value) {
        return new SubmitterConfig(maxBatchCommands, maxBatchBytes, lingerMicros, maxInFlightCommands, value);
    }
}
