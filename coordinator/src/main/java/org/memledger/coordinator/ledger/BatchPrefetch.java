package org.memledger.coordinator.ledger;

import java.util.ArrayList;
import java.util.List;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Command;
import org.memledger.protocol.Release;

/**
 * Reads ahead, before a batch is applied, what its commands are going to look up: each
 * deployment id in the id map, and for a release the record, its nodes and the hosted-list entries
 * the release will swap. Nothing is decided here and nothing in the books is written.
 *
 * <p>Why: with a million live deployments, a release's lookup chain (table slot, map entry, id
 * string, id bytes, record, node, hosted list) is a string of cache misses, and inside the apply
 * loop each one waits for the decision before it. Here the lookups of different commands do not
 * depend on each other, so the processor has the misses of several commands in flight at once
 * (memory-level parallelism), and the apply loop then finds the same lines in cache. The same idea
 * as TigerBeetle's prefetch phase, without its cache: Java has no prefetch instruction, so the
 * read is an ordinary load whose value is folded into {@link #checksum}, which the JIT must
 * keep because it is a field.
 *
 * <p>Looking an id up also computes and caches its {@code String} hash, which the apply loop would
 * otherwise compute on the critical path. Whether this pays is a matter of measurement
 * (docs/benchmarks.md); it cannot change a decision, since it only reads, and a lookup that
 * another command of the batch would have changed first is simply a wasted read.
 */
final class BatchPrefetch {
    private final DeploymentBook deployments;
    /** The records found by the first pass, in command order; cleared after each batch. */
    private DeploymentRecord[] found = new DeploymentRecord[0];
    /** Every value read ahead, folded together: no decision reads it; it keeps the loads alive. */
    private long checksum;

    BatchPrefetch(DeploymentBook deployments) {
        this.deployments = deployments;
    }

    /**
     * Reads ahead for {@code commands}. Two passes: first every id lookup (the misses of independent
     * lookups overlap), then every found record's nodes and hosted-list entries.
     */
    void readAhead(List<Command> commands) {
        int count = commands.size();
        if (found.length < count) {
            found = new DeploymentRecord[count];
        }
        long folded = checksum;
        for (int i = 0; i < count; i++) {
            String id = idOf(commands.get(i));
            DeploymentRecord record = id == null ? null : deployments.get(id);
            found[i] = record;
            folded += record == null ? 1 : record.reservationBytes;
        }
        for (int i = 0; i < count; i++) {
            DeploymentRecord record = found[i];
            if (record != null) {
                folded += readNodes(record);
                found[i] = null;
            }
        }
        checksum = folded;
    }

    /** The folded reads so far: for tests, which check that reading ahead never changes a decision. */
    long checksum() {
        return checksum;
    }

    private static String idOf(Command command) {
        if (command instanceof Release release) {
            return release.deploymentId();
        }
        if (command instanceof Admit admit) {
            return admit.deploymentId();
        }
        return null;
    }

    /** Touches each placement's node and the two hosted-list entries a release would swap. */
    private static long readNodes(DeploymentRecord record) {
        long folded = 0;
        NodeRecord[] placements = record.placements;
        for (int p = 0; p < placements.length; p++) {
            NodeRecord node = placements[p];
            ArrayList<DeploymentRecord> hosted = node.hosted;
            int size = hosted.size();
            int slot = record.slot(p);
            if (slot >= 0 && slot < size) {
                folded += hosted.get(slot).reservationBytes;
                folded += hosted.get(size - 1).reservationBytes;
            }
            folded += node.kReservedBytes;
        }
        return folded;
    }
}
