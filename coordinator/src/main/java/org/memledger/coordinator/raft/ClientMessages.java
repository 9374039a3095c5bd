package org.memledger.coordinator.raft;

import java.util.List;

import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.codec.BinaryReader;
import org.memledger.protocol.codec.BinaryWriter;
import org.memledger.protocol.codec.CodecException;
import org.memledger.protocol.codec.EntryCodec;

/**
 * What a replica's Raft client sends to the group, as opposed to what the log stores. A client
 * never sends a {@link org.memledger.protocol.LogEntry}: time is not the client's to choose. It
 * sends a <em>proposal</em> (a command without time) and the leader turns it into a log entry in
 * {@code startTransaction} by stamping its clock in front of the command bytes, unchanged.
 *
 * <pre>
 * proposal = 'P' (0x50), version (1), zigzag deadlineMillis, command   (EntryCodec command form)
 * query    = 'Q' (0x51), version (1), zigzag deadlineMillis, query kind byte
 * applied  = 'A' (0x41), version (1), varint raftAppliedIndex          (reply to QUERY_APPLIED_INDEX)
 * </pre>
 * The deadline is in milliseconds on the sender's monotonic clock ({@link MonotonicClock}; 0 = none).
 * Only the sender reads it, in its retry policy ({@link DeadlineRetryPolicy}); servers ignore it.
 * It travels in the message because Ratis' async API has no per-call timeout, and the retry policy
 * sees nothing of a call but its request.
 *
 * <p>Batches are assembled from already encoded commands ({@link #appendBatch}), so the submitter
 * encodes each command once, on the caller's thread, and knows its size before batching. The
 * layouts written here by hand (entry header, batch header) are EntryCodec's documented format;
 * {@code ClientMessagesTest} pins them byte for byte against EntryCodec.
 */
final class ClientMessages {
    static final int PROPOSAL_MAGIC = 0x50;
    static final int QUERY_MAGIC = 0x51;
    static final int APPLIED_MAGIC = 0x41;
    static final int VERSION = 1;

    /** Query kind: "which Raft index have you applied?", the step after ReadIndex. */
    static final int QUERY_APPLIED_INDEX = 1;

    /** Longest possible proposal or query header: magic, version, a 10-byte varint. */
    private static final int MAX_HEADER_BYTES = 12;

    private ClientMessages() {
    }

    /** One command in its EntryCodec form (tag and components, no entry header). */
    static byte[] encodeCommand(Command command) {
        BinaryWriter out = new BinaryWriter(64);
        EntryCodec.encodeCommand(command, out);
        return out.toByteArray();
    }

    /** A proposal carrying one already encoded command (which may itself be a Batch). */
    static byte[] proposal(long deadlineMillis, byte[] commandBytes) {
        BinaryWriter out = new BinaryWriter(commandBytes.length + MAX_HEADER_BYTES);
        writeProposalHeader(out, deadlineMillis);
        out.writeRawBytes(commandBytes, 0, commandBytes.length);
        return out.toByteArray();
    }

    /** A proposal carrying a Batch of already encoded commands, none of them a Batch. */
    static byte[] batchProposal(long deadlineMillis, List<byte[]> commands) {
        int size = MAX_HEADER_BYTES + 6;
        for (byte[] command : commands) {
            size += command.length;
        }
        BinaryWriter out = new BinaryWriter(size);
        writeProposalHeader(out, deadlineMillis);
        appendBatch(out, commands);
        return out.toByteArray();
    }

    /** EntryCodec's Batch layout: tag, varint count, the commands back to back. */
    static void appendBatch(BinaryWriter out, List<byte[]> commands) {
        out.writeByte(CommandKind.BATCH.code());
        out.writeVarInt(commands.size());
        for (byte[] command : commands) {
            out.writeRawBytes(command, 0, command.length);
        }
    }

    private static void writeProposalHeader(BinaryWriter out, long deadlineMillis) {
        out.writeByte(PROPOSAL_MAGIC);
        out.writeByte(VERSION);
        out.writeZigZagLong(deadlineMillis);
    }

    /** A decoded proposal: its command, and where the command's bytes start in the message. */
    record Proposal(long deadlineMillis, Command command, int commandOffset) {
    }

    /**
     * Decodes and checks a proposal strictly: the command must decode canonically and fill the
     * message exactly. Throws {@link CodecException} and nothing else.
     */
    static Proposal decodeProposal(byte[] message) {
        try {
            BinaryReader in = new BinaryReader(message);
            expectHeader(in, PROPOSAL_MAGIC, "proposal");
            long deadline = in.readZigZagLong("proposal deadline");
            int offset = in.position();
            Command command = EntryCodec.decodeCommand(in);
            in.expectEnd("proposal");
            return new Proposal(deadline, command, offset);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("corrupt proposal: " + e, e);
        }
    }

    /**
     * The log entry for a decoded proposal: EntryCodec's header, the leader's time, then the
     * proposal's command bytes unchanged (they were decoded canonically, so this is exactly
     * {@code EntryCodec.encode(new LogEntry(timeMillis, command))}).
     */
    static byte[] logEntry(long timeMillis, byte[] message, int commandOffset) {
        int length = message.length - commandOffset;
        BinaryWriter out = new BinaryWriter(length + MAX_HEADER_BYTES);
        out.writeByte(EntryCodec.MAGIC);
        out.writeByte(EntryCodec.VERSION);
        out.writeZigZagLong(timeMillis);
        out.writeRawBytes(message, commandOffset, length);
        return out.toByteArray();
    }

    static byte[] query(long deadlineMillis, int kind) {
        BinaryWriter out = new BinaryWriter(MAX_HEADER_BYTES + 1);
        out.writeByte(QUERY_MAGIC);
        out.writeByte(VERSION);
        out.writeZigZagLong(deadlineMillis);
        out.writeByte(kind);
        return out.toByteArray();
    }

    /** The kind of a query message; throws {@link CodecException} for anything else. */
    static int decodeQueryKind(byte[] message) {
        BinaryReader in = new BinaryReader(message);
        expectHeader(in, QUERY_MAGIC, "query");
        in.readZigZagLong("query deadline");
        int kind = in.readByte("query kind");
        in.expectEnd("query");
        return kind;
    }

    static byte[] appliedIndexReply(long raftAppliedIndex) {
        BinaryWriter out = new BinaryWriter(MAX_HEADER_BYTES);
        out.writeByte(APPLIED_MAGIC);
        out.writeByte(VERSION);
        out.writeVarLong(raftAppliedIndex);
        return out.toByteArray();
    }

    static long decodeAppliedIndexReply(byte[] message) {
        BinaryReader in = new BinaryReader(message);
        expectHeader(in, APPLIED_MAGIC, "applied-index reply");
        long index = in.readVarLong("applied index");
        in.expectEnd("applied-index reply");
        return index;
    }

    /**
     * The deadline carried by a proposal or query, from its first bytes; 0 when the message is
     * neither (or is cut short). Never throws: it runs inside Ratis' retry machinery.
     */
    static long deadlineOf(byte[] head) {
        if (head.length < 3 || (head[0] != PROPOSAL_MAGIC && head[0] != QUERY_MAGIC) || head[1] != VERSION) {
            return 0;
        }
        try {
            BinaryReader in = new BinaryReader(head, 2, head.length - 2);
            return in.readZigZagLong("deadline");
        } catch (CodecException e) {
            return 0;
        }
    }

    /** How many leading bytes {@link #deadlineOf} needs at most. */
    static int headerBytes() {
        return MAX_HEADER_BYTES;
    }

    private static void expectHeader(BinaryReader in, int magic, String what) {
        int actual = in.readByte(what + " magic");
        if (actual != magic) {
            throw new CodecException(String.format("not a %s: magic byte 0x%02X, expected 0x%02X", what, actual, magic));
        }
        int version = in.readByte(what + " version");
        if (version != VERSION) {
            throw new CodecException("unknown " + what + " version " + version + "; this build reads version " + VERSION);
        }
    }
}
