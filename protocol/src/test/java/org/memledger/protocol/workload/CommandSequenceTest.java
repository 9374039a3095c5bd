package org.memledger.protocol.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Batch;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.codec.EntryCodec;

class CommandSequenceTest {

    @Test
    void theSameSeedGivesTheSameEntriesByteForByte() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            List<LogEntry> first = new CommandSequence(seed, WorkloadShape.defaults()).take(3_000);
            List<LogEntry> second = new CommandSequence(seed, WorkloadShape.defaults()).take(3_000);
            assertThat(second).as("seed=%d", seed).isEqualTo(first);
            for (int i = 0; i < first.size(); i++) {
                assertThat(EntryCodec.encode(second.get(i))).isEqualTo(EntryCodec.encode(first.get(i)));
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentEntries() {
        List<LogEntry> a = new CommandSequence(1, WorkloadShape.small()).take(200);
        List<LogEntry> b = new CommandSequence(2, WorkloadShape.small()).take(200);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void everyEntryRoundTripsThroughTheLogCodec() {
        WorkloadShape extreme = WorkloadShape.defaults().toBuilder().extremeSizePct(10).invalidPct(30).build();
        for (LogEntry entry : new CommandSequence(5, extreme).take(5_000)) {
            assertThat(EntryCodec.decode(EntryCodec.encode(entry))).isEqualTo(entry);
        }
    }

    @Test
    void timeMostlyAdvancesSometimesRepeatsAndOccasionallyGoesBack() {
        List<LogEntry> entries = new CommandSequence(9, WorkloadShape.defaults()).take(20_000);
        int forward = 0;
        int equal = 0;
        int back = 0;
        for (int i = 1; i < entries.size(); i++) {
            long step = entries.get(i).timeMillis() - entries.get(i - 1).timeMillis();
            if (step > 0) {
                forward++;
            } else if (step == 0) {
                equal++;
            } else {
                back++;
            }
        }
        assertThat(forward).isGreaterThan(equal);
        assertThat(equal).isGreaterThan(back);
        assertThat(back).isPositive();
        assertThat(entries.get(0).timeMillis()).isGreaterThanOrEqualTo(CommandSequence.START_MILLIS);
    }

    @Test
    void startsByRegisteringAndReportingEveryNode() {
        WorkloadShape shape = WorkloadShape.large();
        List<LogEntry> entries = new CommandSequence(3, shape).take(13);
        TreeSet<String> registered = new TreeSet<>();
        for (LogEntry entry : entries) {
            for (Command command : flatten(entry.command())) {
                if (command.kind() == CommandKind.REGISTER_NODE) {
                    registered.add(((org.memledger.protocol.RegisterNode) command).nodeId());
                }
            }
        }
        assertThat(registered).hasSize(shape.nodeCount());
    }

    @Test
    void producesEveryKindValidAndInvalidInput() {
        Map<CommandKind, Integer> kinds = new EnumMap<>(CommandKind.class);
        int invalid = 0;
        int admits = 0;
        int repeatedIds = 0;
        int nullFirm = 0;
        int staleOrUnknownUsage = 0;
        TreeSet<String> admitIds = new TreeSet<>();
        for (LogEntry entry : new CommandSequence(11, WorkloadShape.defaults()).take(10_000)) {
            kinds.merge(entry.command().kind(), 1, Integer::sum);
            for (Command command : flatten(entry.command())) {
                kinds.merge(command.kind(), 1, Integer::sum);
                invalid += CommandValidator.validate(command).isPresent() ? 1 : 0;
                if (command.kind() == CommandKind.ADMIT) {
                    Admit admit = (Admit) command;
                    admits++;
                    repeatedIds += admitIds.add(admit.deploymentId()) ? 0 : 1;
                    nullFirm += admit.firmBytes() == null ? 1 : 0;
                }
                if (command.kind() == CommandKind.REPORT_NODE) {
                    for (String id : ((ReportNode) command).deploymentUsage().keySet()) {
                        staleOrUnknownUsage += id.startsWith("ghost-") ? 1 : 0;
                    }
                }
            }
        }
        assertThat(kinds.keySet()).containsAll(List.of(CommandKind.values()));
        assertThat(invalid).isGreaterThan(100);
        assertThat(repeatedIds).isGreaterThan(admits / 20);
        assertThat(nullFirm).isPositive();
        assertThat(staleOrUnknownUsage).isPositive();
    }

    @Test
    void shapesRefuseNonsense() {
        assertThatThrownBy(() -> WorkloadShape.defaults().toBuilder().nodeCount(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeCount");
        assertThatThrownBy(() -> WorkloadShape.defaults().toBuilder().invalidPct(101).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkloadShape.defaults().toBuilder().deploymentMinBytes(10).deploymentMaxBytes(5)
                .build()).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Command> flatten(Command command) {
        List<Command> out = new ArrayList<>();
        if (command instanceof Batch batch) {
            out.addAll(batch.commands());
        } else {
            out.add(command);
        }
        return out;
    }
}
