package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.memledger.protocol.Batch;
import org.memledger.protocol.Command;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.Release;
import org.memledger.protocol.Tick;
import org.memledger.protocol.codec.CodecException;
import org.memledger.protocol.codec.EntryCodec;

/** Pins the hand-assembled layouts (batch, log entry) to EntryCodec byte for byte. */
class ClientMessagesTest {
    private static final List<Command> COMMANDS = List.of(
            Commands.register("n1", "z1", 8 * Commands.GIB),
            Commands.report("n1", 7, 8 * Commands.GIB),
            Commands.admit("d1", 64 * Commands.MIB),
            new Release("d1"),
            new Tick());

    @Test
    void aBatchAssembledFromEncodedCommandsIsEntryCodecsBatch() {
        List<byte[]> encoded = new ArrayList<>();
        for (Command command : COMMANDS) {
            encoded.add(ClientMessages.encodeCommand(command));
        }
        byte[] proposal = ClientMessages.batchProposal(123_456L, encoded);
        ClientMessages.Proposal decoded = ClientMessages.decodeProposal(proposal);
        assertThat(decoded.deadlineMillis()).isEqualTo(123_456L);
        assertThat(decoded.command()).isEqualTo(new Batch(COMMANDS));
    }

    @Test
    void theLeadersEntryIsEntryCodecsEncodingOfTheStampedCommand() {
        for (Command command : List.<Command>of(new Batch(COMMANDS), COMMANDS.get(2), new Tick())) {
            byte[] proposal = ClientMessages.proposal(99L, ClientMessages.encodeCommand(command));
            ClientMessages.Proposal decoded = ClientMessages.decodeProposal(proposal);
            for (long time : new long[] {0, 1, 1_700_000_000_000L, -5}) {
                byte[] entry = ClientMessages.logEntry(time, proposal, decoded.commandOffset());
                assertThat(entry).isEqualTo(EntryCodec.encode(new LogEntry(time, command)));
            }
        }
    }

    @Test
    void theDeadlineIsReadableFromTheHeadAlone() {
        byte[] proposal = ClientMessages.proposal(1_700_000_000_123L, ClientMessages.encodeCommand(new Tick()));
        byte[] head = java.util.Arrays.copyOf(proposal, Math.min(proposal.length, ClientMessages.headerBytes()));
        assertThat(ClientMessages.deadlineOf(head)).isEqualTo(1_700_000_000_123L);
        assertThat(ClientMessages.deadlineOf(ClientMessages.query(42L, ClientMessages.QUERY_APPLIED_INDEX))).isEqualTo(42L);
        assertThat(ClientMessages.deadlineOf(new byte[] {1, 2, 3})).isZero();
        assertThat(ClientMessages.deadlineOf(new byte[0])).isZero();
    }

    @Test
    void corruptOrTrailingProposalsAreRefused() {
        byte[] proposal = ClientMessages.proposal(5L, ClientMessages.encodeCommand(new Tick()));
        byte[] trailing = java.util.Arrays.copyOf(proposal, proposal.length + 1);
        assertThatThrownBy(() -> ClientMessages.decodeProposal(trailing)).isInstanceOf(CodecException.class);
        byte[] wrongMagic = proposal.clone();
        wrongMagic[0] = 0x4D;
        assertThatThrownBy(() -> ClientMessages.decodeProposal(wrongMagic)).isInstanceOf(CodecException.class)
                .hasMessageContaining("not a proposal");
        assertThatThrownBy(() -> ClientMessages.decodeProposal(new byte[] {0x50, 1})).isInstanceOf(CodecException.class);
    }

    @Test
    void appliedIndexRepliesRoundTrip() {
        assertThat(ClientMessages.decodeAppliedIndexReply(ClientMessages.appliedIndexReply(0))).isZero();
        assertThat(ClientMessages.decodeAppliedIndexReply(ClientMessages.appliedIndexReply(1L << 40))).isEqualTo(1L << 40);
        assertThat(ClientMessages.decodeQueryKind(ClientMessages.query(0, ClientMessages.QUERY_APPLIED_INDEX)))
                .isEqualTo(ClientMessages.QUERY_APPLIED_INDEX);
    }
}
