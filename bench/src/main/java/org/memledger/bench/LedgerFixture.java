package org.memledger.bench;

import java.util.ArrayList;
import java.util.List;

import org.memledger.coordinator.ledger.AppliedEntry;
import org.memledger.coordinator.ledger.Ledger;
import org.memledger.protocol.Batch;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.Command;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;

/**
 * Builds the benchmark ledger through its public log interface only, exactly as Raft would: nodes
 * registered in 1,000-command batches, each node's first report as its own entry (1 ms apart, so the
 * heartbeat queue holds distinct times), then the initial population admitted in 1,000-command
 * batches. Every result is checked: a setup that silently rejected deployments would make the
 * figures meaningless.
 */
final class LedgerFixture {
    final Ledger ledger = new Ledger();
    private long index;

    /** The next log index to apply at. */
    long nextIndex() {
        return ++index;
    }

    LedgerFixture withNodes() {
        List<Command> registrations = new ArrayList<>(Workload.BATCH);
        for (int n = 0; n < Workload.NODES; n++) {
            registrations.add(Workload.register(n));
            if (registrations.size() == Workload.BATCH) {
                applyBatch(Workload.START_MILLIS, registrations, ResultKind.ACK);
                registrations.clear();
            }
        }
        for (int n = 0; n < Workload.NODES; n++) {
            expect(ledger.apply(nextIndex(), new LogEntry(Workload.START_MILLIS + n, Workload.report(n))).result(),
                    ResultKind.ACK);
        }
        return this;
    }

    LedgerFixture withPopulation(Workload workload) {
        List<Command> admits = new ArrayList<>(Workload.BATCH);
        workload.forEachInitialAdmit(admit -> {
            admits.add(admit);
            if (admits.size() == Workload.BATCH) {
                applyBatch(Workload.CHURN_MILLIS, admits, ResultKind.ADMITTED);
                admits.clear();
            }
        });
        if (!admits.isEmpty()) {
            applyBatch(Workload.CHURN_MILLIS, admits, ResultKind.ADMITTED);
        }
        int expected = Workload.LIVE + Workload.ALL_LIVE;
        if (ledger.deploymentCount() != expected) {
            throw new IllegalStateException("population is " + ledger.deploymentCount() + ", expected " + expected);
        }
        return this;
    }

    private void applyBatch(long timeMillis, List<Command> commands, ResultKind expected) {
        AppliedEntry applied = ledger.apply(nextIndex(), new LogEntry(timeMillis, new Batch(commands)));
        expect(applied.result(), ResultKind.BATCH);
        for (Result result : ((BatchResult) applied.result()).results()) {
            expect(result, expected);
        }
    }

    private static void expect(Result result, ResultKind expected) {
        if (result.kind() != expected) {
            throw new IllegalStateException("setup expected " + expected + " but got " + result);
        }
    }
}
