package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.memledger.coordinator.ledger.Ledger;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;

class EmbeddedLedgerGatewayTest {
    private static final long GIB = 1L << 30;
    private final ApiHarness.TestClock clock = new ApiHarness.TestClock(1_000);
    private final EmbeddedLedgerGateway gateway = new EmbeddedLedgerGateway(new Ledger(), clock, "e1", 2);

    private Result submit(org.memledger.protocol.Command command) throws Exception {
        return gateway.submit(command, 1_000).get(10, TimeUnit.SECONDS);
    }

    private void node() throws Exception {
        submit(RegisterNode.of("n1", "op", "z1", 8 * GIB));
        submit(new ReportNode("n1", 1, 8 * GIB, 16 * GIB, 16 * GIB, new java.util.TreeMap<>()));
    }

    @Test
    void eachCommandIsOneEntryAtTheNextIndexStampedByTheClock() throws Exception {
        node();
        clock.advance(500);
        Result admitted = submit(Admit.of("d1", "alice", GIB, Replicas.of(1)));

        assertThat(admitted.kind()).isEqualTo(ResultKind.ADMITTED);
        assertThat(((Admitted) admitted).admittedIndex()).isEqualTo(3);
        assertThat(gateway.status().appliedIndex()).isEqualTo(3);
        assertThat(gateway.read(views -> views.deployment("d1").orElseThrow().admittedAtMillis()).value())
                .isEqualTo(1_500);
        assertThat(gateway.readLinearizable(views -> views.nodes().size(), 100).get().ledgerIndex()).isEqualTo(3);
    }

    @Test
    void checkDecidesWithoutWriting() throws Exception {
        node();
        String hash = gateway.status().stateHash();
        LedgerGateway.ReadResult<Result> checked = gateway.check(Admit.of("d1", "alice", GIB, Replicas.of(1)));
        assertThat(checked.value().kind()).isEqualTo(ResultKind.ADMITTED);
        assertThat(checked.ledgerIndex()).isEqualTo(2);
        assertThat(gateway.status().stateHash()).isEqualTo(hash);
    }

    @Test
    void pausedCommandsWaitBoundedAndApplyInOrderOnResume() throws Exception {
        node();
        gateway.pauseApplying();
        CompletableFuture<Result> first = gateway.submit(Admit.of("d1", "alice", GIB, Replicas.of(1)), 10_000);
        CompletableFuture<Result> second = gateway.submit(Admit.of("d2", "alice", GIB, Replicas.of(1)), 10_000);
        CompletableFuture<Result> third = gateway.submit(Admit.of("d3", "alice", GIB, Replicas.of(1)), 10_000);
        assertThat(first).isNotDone();
        assertThat(gateway.heldCommands()).isEqualTo(2);
        assertThatThrownBy(third::get).hasCauseInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e.getCause()).kind())
                        .isEqualTo(GatewayException.Kind.OVERLOADED));

        gateway.resumeApplying();
        assertThat(((Admitted) first.get()).admittedIndex()).isEqualTo(3);
        assertThat(((Admitted) second.get()).admittedIndex()).isEqualTo(4);
    }

    @Test
    void aHeldCommandPastItsDeadlineIsDroppedAndTimesOut() throws Exception {
        node();
        gateway.pauseApplying();
        CompletableFuture<Result> held = gateway.submit(Admit.of("d1", "alice", GIB, Replicas.of(1)), 50);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> held.get(10, TimeUnit.SECONDS));
        assertThat(((GatewayException) failure.getCause()).kind()).isEqualTo(GatewayException.Kind.TIMED_OUT);
        gateway.resumeApplying();
        assertThat(gateway.status().appliedIndex()).isEqualTo(2);
    }

    @Test
    void afterCloseWritesAreUnavailableAndNoLeaderIsKnown() throws Exception {
        node();
        gateway.close();
        assertThatThrownBy(() -> submit(new org.memledger.protocol.Tick()))
                .hasCauseInstanceOf(GatewayException.class);
        assertThat(gateway.status().role()).isEqualTo("STOPPED");
        assertThat(gateway.status().leaderId()).isNull();
        assertThat(gateway.read(views -> views.nodes().size()).value()).isEqualTo(1);
    }

    @Test
    void anExpiredDeadlineIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> gateway.submit(new org.memledger.protocol.Tick(), 0).get())
                .hasCauseInstanceOf(GatewayException.class);
        assertThat(gateway.status().appliedIndex()).isZero();
    }
}
