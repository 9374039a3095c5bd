package org.memledger.protocol.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.memledger.protocol.Admit;
import org.memledger.protocol.Batch;
import org.memledger.protocol.Command;
import org.memledger.protocol.CommandKind;
import org.memledger.protocol.DrainNode;
import org.memledger.protocol.LogEntry;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.Release;
import org.memledger.protocol.RemoveNode;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.ReportNode;
import org.memledger.protocol.SetPolicy;
import org.memledger.protocol.Tick;

/**
 * The replicated log's binary format. These bytes are what Raft stores and ships, what every
 * replica decodes and what the state hash covers, so the format is canonical (one byte form per
 * entry: {@code encode(decode(b))} equals {@code b} for every accepted {@code b}) and strict (any
 * other input is a {@link CodecException}, never another exception, never a silent guess).
 *
 * <pre>
 * entry   = magic 0x4D ('M'), version byte (1), zigzag timeMillis, command
 * command = tag byte (CommandKind.code()), then the record's components in declaration order
 * </pre>
 * Strings are varint length + UTF-8; longs and ints are ZigZag varints (a malformed command with
 * negative sizes must reach the validator intact, so nothing here assumes a sign); a nullable Long
 * is a presence byte then the value; {@link Replicas} is its count as a ZigZag int (0 = ALL);
 * sorted maps are a varint size then entries in natural key order; enums are their fixed codes;
 * a {@link Batch} is a varint count then its commands, which may not themselves be batches (so
 * decoding never recurses more than one level). The Policy layout is {@link PolicyCodec}'s.
 *
 * <p>Changing any of this means a new {@link #VERSION}; older versions keep being readable for as
 * long as logs written with them may be replayed.
 */
public final class EntryCodec {
    public static final int MAGIC = 0x4D;
    public static final int VERSION = 1;

    private EntryCodec() {
    }

    public static byte[] encode(LogEntry entry) {
        BinaryWriter out = new BinaryWriter();
        encode(entry, out);
        return out.toByteArray();
    }

    /** Appends the whole entry (header included) to {@code out}, without resetting it. */
    public static void encode(LogEntry entry, BinaryWriter out) {
        if (entry == null) {
            throw new CodecException("cannot encode a null log entry");
        }
        out.writeByte(MAGIC);
        out.writeByte(VERSION);
        out.writeZigZagLong(entry.timeMillis());
        encodeCommand(entry.command(), out);
    }

    public static LogEntry decode(byte[] bytes) {
        checkSlice(bytes, 0, 0, "log entry");
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes exactly {@code length} bytes from {@code offset}: trailing bytes are an error. */
    public static LogEntry decode(byte[] bytes, int offset, int length) {
        checkSlice(bytes, offset, length, "log entry");
        try {
            BinaryReader in = new BinaryReader(bytes, offset, length);
            readHeader(in);
            long timeMillis = in.readZigZagLong("LogEntry.timeMillis");
            Command command = decodeCommand(in);
            in.expectEnd("log entry");
            return new LogEntry(timeMillis, command);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            // The promise is "CodecException and nothing else", even for a failure we did not foresee.
            throw new CodecException("corrupt log entry: " + e, e);
        }
    }

    /** Appends one command (tag and components, no entry header); reusable by snapshots. */
    public static void encodeCommand(Command command, BinaryWriter out) {
        encodeCommand(command, out, true);
    }

    /** Reads one command written by {@link #encodeCommand}. */
    public static Command decodeCommand(BinaryReader in) {
        return decodeCommand(in, true);
    }

    /** A bad slice is the caller's mistake, but it still gets the one exception type decode promises. */
    static void checkSlice(byte[] bytes, int offset, int length, String what) {
        if (bytes == null) {
            throw new CodecException("cannot decode a " + what + " from null bytes");
        }
        try {
            Objects.checkFromIndexSize(offset, length, bytes.length);
        } catch (IndexOutOfBoundsException e) {
            throw new CodecException("cannot decode a " + what + " from offset " + offset + " length " + length
                    + " of a " + bytes.length + "-byte array", e);
        }
    }

    private static void readHeader(BinaryReader in) {
        int magic = in.readByte("log entry magic");
        if (magic != MAGIC) {
            throw new CodecException(String.format(Locale.ROOT,
                    "not a log entry: magic byte 0x%02X, expected 0x%02X ('M')", magic, MAGIC));
        }
        int version = in.readByte("log entry format version");
        if (version != VERSION) {
            throw new CodecException("unknown log entry format version " + version + "; this build reads version "
                    + VERSION);
        }
    }

    private static void encodeCommand(Command command, BinaryWriter out, boolean batchAllowed) {
        if (command == null) {
            throw new CodecException("cannot encode a null command");
        }
        out.writeByte(command.kind().code());
        switch (command.kind()) {
            case REGISTER_NODE -> encodeRegisterNode((RegisterNode) command, out);
            case REPORT_NODE -> encodeReportNode((ReportNode) command, out);
            case ADMIT -> encodeAdmit((Admit) command, out);
            case RELEASE -> out.writeString(((Release) command).deploymentId(), "Release.deploymentId");
            case SET_POLICY -> PolicyCodec.encode(((SetPolicy) command).policy(), out);
            case DRAIN_NODE -> out.writeString(((DrainNode) command).nodeId(), "DrainNode.nodeId");
            case REMOVE_NODE -> out.writeString(((RemoveNode) command).nodeId(), "RemoveNode.nodeId");
            case TICK -> {
                // The entry's time is the whole message.
            }
            case BATCH -> {
                if (!batchAllowed) {
                    throw new CodecException("cannot encode a Batch inside a Batch: batches do not nest");
                }
                encodeBatch((Batch) command, out);
            }
            default -> throw new CodecException("cannot encode command kind " + command.kind());
        }
    }

    private static Command decodeCommand(BinaryReader in, boolean batchAllowed) {
        int at = in.position();
        int tag = in.readByte("command tag");
        CommandKind kind = CommandKind.fromCode(tag);
        if (kind == null) {
            throw new CodecException("unknown command tag " + tag + " at offset " + at);
        }
        // A switch expression, so that a new CommandKind fails compilation here until it has a format.
        return switch (kind) {
            case REGISTER_NODE -> decodeRegisterNode(in);
            case REPORT_NODE -> decodeReportNode(in);
            case ADMIT -> decodeAdmit(in);
            case RELEASE -> new Release(in.readString("Release.deploymentId"));
            case SET_POLICY -> new SetPolicy(PolicyCodec.decode(in));
            case DRAIN_NODE -> new DrainNode(in.readString("DrainNode.nodeId"));
            case REMOVE_NODE -> new RemoveNode(in.readString("RemoveNode.nodeId"));
            case TICK -> new Tick();
            case BATCH -> {
                if (!batchAllowed) {
                    throw new CodecException("batches do not nest: command at offset " + at
                            + " inside a Batch is itself a Batch");
                }
                yield decodeBatch(in);
            }
        };
    }

    private static void encodeRegisterNode(RegisterNode c, BinaryWriter out) {
        out.writeString(c.nodeId(), "RegisterNode.nodeId");
        out.writeString(c.operator(), "RegisterNode.operator");
        out.writeString(c.zone(), "RegisterNode.zone");
        out.writeStringMap(c.labels());
        out.writeZigZagLong(c.declaredBytes());
    }

    private static RegisterNode decodeRegisterNode(BinaryReader in) {
        return new RegisterNode(in.readString("RegisterNode.nodeId"), in.readString("RegisterNode.operator"),
                in.readString("RegisterNode.zone"), in.readStringMap("RegisterNode.labels"),
                in.readZigZagLong("RegisterNode.declaredBytes"));
    }

    private static void encodeReportNode(ReportNode c, BinaryWriter out) {
        out.writeString(c.nodeId(), "ReportNode.nodeId");
        out.writeZigZagLong(c.seq());
        out.writeZigZagLong(c.declaredBytes());
        out.writeZigZagLong(c.physicalBytes());
        out.writeZigZagLong(c.availableBytes());
        out.writeLongMap(c.deploymentUsage());
    }

    private static ReportNode decodeReportNode(BinaryReader in) {
        return new ReportNode(in.readString("ReportNode.nodeId"), in.readZigZagLong("ReportNode.seq"),
                in.readZigZagLong("ReportNode.declaredBytes"), in.readZigZagLong("ReportNode.physicalBytes"),
                in.readZigZagLong("ReportNode.availableBytes"), in.readLongMap("ReportNode.deploymentUsage"));
    }

    private static void encodeAdmit(Admit c, BinaryWriter out) {
        out.writeString(c.deploymentId(), "Admit.deploymentId");
        out.writeString(c.owner(), "Admit.owner");
        out.writeNullableLong(c.minBytes());
        out.writeNullableLong(c.firmBytes());
        if (c.replicas() == null) {
            throw new CodecException("cannot encode Admit.replicas: null");
        }
        out.writeZigZagInt(c.replicas().count());
        out.writeBoolean(c.zoneSpread());
        out.writeZigZagInt(c.priority());
    }

    private static Admit decodeAdmit(BinaryReader in) {
        return new Admit(in.readString("Admit.deploymentId"), in.readString("Admit.owner"),
                in.readNullableLong("Admit.minBytes"), in.readNullableLong("Admit.firmBytes"),
                decodeReplicas(in), in.readBoolean("Admit.zoneSpread"), in.readZigZagInt("Admit.priority"));
    }

    private static Replicas decodeReplicas(BinaryReader in) {
        int count = in.readZigZagInt("Admit.replicas");
        return count == Replicas.ALL_COUNT ? Replicas.ALL : Replicas.of(count);
    }

    private static void encodeBatch(Batch c, BinaryWriter out) {
        List<Command> commands = c.commands();
        out.writeVarInt(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            encodeCommand(commands.get(i), out, false);
        }
    }

    private static Batch decodeBatch(BinaryReader in) {
        // Every command takes at least its tag byte.
        int count = in.readCount("Batch.commands", 1);
        List<Command> commands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            commands.add(decodeCommand(in, false));
        }
        return new Batch(commands);
    }
}

