package org.memledger.protocol.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.memledger.protocol.Ack;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.BatchResult;
import org.memledger.protocol.ErrorCode;
import org.memledger.protocol.Ignored;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.RejectReason;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Released;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;

/**
 * The binary form of a {@link Result}: the Raft reply to a proposer, and the result bytes the
 * ledger feeds into its state hash. Same rules as {@link EntryCodec}: canonical, strict, and every
 * decode failure is a {@link CodecException}.
 *
 * <pre>
 * result = magic 0x52 ('R'), version byte (1), body
 * body   = tag byte (ResultKind.code()), then the record's components in declaration order
 * </pre>
 * Admitted: id, placements (varint count + strings), zigzag remainingBytes, zigzag admittedIndex,
 * duplicate flag. Rejected: id, reason code, message, zigzag maxAdmissibleBytes. Released: id,
 * zigzag releasedAtMillis. Ack: nothing. Ignored: message. Invalid: error code, field, message.
 * BatchResult: varint count + bodies, none of them a BatchResult.
 *
 * <p>Two ways to write: {@link #encode(Result, BinaryWriter)} appends header and body;
 * {@link #encodeBody(Result, BinaryWriter)} appends the body alone, for the state hash (where the
 * header would be the same constant in every entry) and for containers such as snapshots that carry
 * their own version. Neither resets the writer.
 */
public final class ResultCodec {
    public static final int MAGIC = 0x52;
    public static final int VERSION = 1;

    /** Cached because {@code values()} copies its array on every call; never modified. */
    private static final RejectReason[] REJECT_REASONS = RejectReason.values();
    private static final ErrorCode[] ERROR_CODES = ErrorCode.values();

    private ResultCodec() {
    }

    public static byte[] encode(Result result) {
        BinaryWriter out = new BinaryWriter();
        encode(result, out);
        return out.toByteArray();
    }

    /** Appends header and body to {@code out}, without resetting it. */
    public static void encode(Result result, BinaryWriter out) {
        out.writeByte(MAGIC);
        out.writeByte(VERSION);
        encodeBody(result, out);
    }

    /** Appends the body alone (tag and components, no magic or version) to {@code out}. */
    public static void encodeBody(Result result, BinaryWriter out) {
        encodeBody(result, out, true);
    }

    public static Result decode(byte[] bytes) {
        EntryCodec.checkSlice(bytes, 0, 0, "result");
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes exactly {@code length} bytes from {@code offset}: trailing bytes are an error. */
    public static Result decode(byte[] bytes, int offset, int length) {
        EntryCodec.checkSlice(bytes, offset, length, "result");
        try {
            BinaryReader in = new BinaryReader(bytes, offset, length);
            readHeader(in);
            Result result = decodeBody(in);
            in.expectEnd("result");
            return result;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("corrupt result: " + e, e);
        }
    }

    /** Reads one body written by {@link #encodeBody}. */
    public static Result decodeBody(BinaryReader in) {
        return decodeBody(in, true);
    }

    private static void readHeader(BinaryReader in) {
        int magic = in.readByte("result magic");
        if (magic != MAGIC) {
            throw new CodecException(String.format(Locale.ROOT,
                    "not a result: magic byte 0x%02X, expected 0x%02X ('R')", magic, MAGIC));
        }
        int version = in.readByte("result format version");
        if (version != VERSION) {
            throw new CodecException("unknown result format version " + version + "; this build reads version "
                    + VERSION);
        }
    }

    private static void encodeBody(Result result, BinaryWriter out, boolean batchAllowed) {
        if (result == null) {
            throw new CodecException("cannot encode a null result");
        }
        out.writeByte(result.kind().code());
        switch (result.kind()) {
            case ADMITTED -> encodeAdmitted((Admitted) result, out);
            case REJECTED -> encodeRejected((Rejected) result, out);
            case RELEASED -> {
                Released released = (Released) result;
                out.writeString(released.deploymentId(), "Released.deploymentId");
                out.writeZigZagLong(released.releasedAtMillis());
            }
            case ACK -> {
                // The tag is the whole message.
            }
            case IGNORED -> out.writeString(((Ignored) result).message(), "Ignored.message");
            case INVALID -> encodeInvalid((Invalid) result, out);
            case BATCH -> {
                if (!batchAllowed) {
                    throw new CodecException("cannot encode a BatchResult inside a BatchResult: batches do not nest");
                }
                encodeBatch((BatchResult) result, out);
            }
            default -> throw new CodecException("cannot encode result kind " + result.kind());
        }
    }

    private static Result decodeBody(BinaryReader in, boolean batchAllowed) {
        int at = in.position();
        int tag = in.readByte("result tag");
        ResultKind kind = ResultKind.fromCode(tag);
        if (kind == null) {
            throw new CodecException("unknown result tag " + tag + " at offset " + at);
        }
        // A switch expression, so that a new ResultKind fails compilation here until it has a format.
        return switch (kind) {
            case ADMITTED -> decodeAdmitted(in);
            case REJECTED -> decodeRejected(in);
            case RELEASED -> new Released(in.readString("Released.deploymentId"),
                    in.readZigZagLong("Released.releasedAtMillis"));
            case ACK -> new Ack();
            case IGNORED -> new Ignored(in.readString("Ignored.message"));
            case INVALID -> decodeInvalid(in);
            case BATCH -> {
                if (!batchAllowed) {
                    throw new CodecException("batches do not nest: result at offset " + at
                            + " inside a BatchResult is itself a BatchResult");
                }
                yield decodeBatch(in);
            }
        };
    }

    private static void encodeAdmitted(Admitted r, BinaryWriter out) {
        out.writeString(r.deploymentId(), "Admitted.deploymentId");
        out.writeStringList(r.placements());
        out.writeZigZagLong(r.remainingBytes());
        out.writeZigZagLong(r.admittedIndex());
        out.writeBoolean(r.duplicate());
    }

    private static Admitted decodeAdmitted(BinaryReader in) {
        return new Admitted(in.readString("Admitted.deploymentId"), in.readStringList("Admitted.placements"),
                in.readZigZagLong("Admitted.remainingBytes"), in.readZigZagLong("Admitted.admittedIndex"),
                in.readBoolean("Admitted.duplicate"));
    }

    private static void encodeRejected(Rejected r, BinaryWriter out) {
        out.writeString(r.deploymentId(), "Rejected.deploymentId");
        if (r.reason() == null) {
            throw new CodecException("cannot encode Rejected.reason: null");
        }
        out.writeVarInt(r.reason().code());
        out.writeString(r.message(), "Rejected.message");
        out.writeZigZagLong(r.maxAdmissibleBytes());
    }

    private static Rejected decodeRejected(BinaryReader in) {
        String deploymentId = in.readString("Rejected.deploymentId");
        int at = in.position();
        int code = in.readVarInt("Rejected.reason");
        RejectReason reason = null;
        for (RejectReason candidate : REJECT_REASONS) {
            if (candidate.code() == code) {
                reason = candidate;
            }
        }
        if (reason == null) {
            throw new CodecException("unknown reject reason code " + code + " for Rejected.reason at offset " + at);
        }
        return new Rejected(deploymentId, reason, in.readString("Rejected.message"),
                in.readZigZagLong("Rejected.maxAdmissibleBytes"));
    }

    private static void encodeInvalid(Invalid r, BinaryWriter out) {
        if (r.code() == null) {
            throw new CodecException("cannot encode Invalid.code: null");
        }
        out.writeVarInt(r.code().code());
        out.writeString(r.field(), "Invalid.field");
        out.writeString(r.message(), "Invalid.message");
    }

    private static Invalid decodeInvalid(BinaryReader in) {
        int at = in.position();
        int code = in.readVarInt("Invalid.code");
        ErrorCode error = null;
        for (ErrorCode candidate : ERROR_CODES) {
            if (candidate.code() == code) {
                error = candidate;
            }
        }
        if (error == null) {
            throw new CodecException("unknown error code " + code + " for Invalid.code at offset " + at);
        }
        return new Invalid(error, in.readString("Invalid.field"), in.readString("Invalid.message"));
    }

    private static void encodeBatch(BatchResult r, BinaryWriter out) {
        List<Result> results = r.results();
        out.writeVarInt(results.size());
        for (int i = 0; i < results.size(); i++) {
            encodeBody(results.get(i), out, false);
        }
    }

    private static BatchResult decodeBatch(BinaryReader in) {
        // Every result takes at least its tag byte.
        int count = in.readCount("BatchResult.results", 1);
        List<Result> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            results.add(decodeBody(in, false));
        }
        return new BatchResult(results);
    }
}
