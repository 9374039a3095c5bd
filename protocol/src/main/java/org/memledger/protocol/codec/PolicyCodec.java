package org.memledger.protocol.codec;

import org.memledger.protocol.Policy;
import org.memledger.protocol.ReserveMode;

/**
 * The binary form of a {@link Policy}: every component in record order, with no header of its own.
 * The container (a log entry, a snapshot) carries the format version, so adding, removing or
 * reordering a Policy component means bumping the version of every container that embeds it.
 *
 * <p>Numbers are ZigZag even where the policy forbids negatives: a policy is validated after
 * decoding, not by the codec, and an invalid one must round-trip exactly so that the validator
 * (not a decode failure) explains what is wrong with it.
 */
public final class PolicyCodec {

    private PolicyCodec() {
    }

    /** Appends {@code policy} to {@code out}. */
    public static void encode(Policy policy, BinaryWriter out) {
        if (policy == null) {
            throw new CodecException("cannot encode a null Policy");
        }
        if (policy.reserveMode() == null) {
            throw new CodecException("cannot encode Policy.reserveMode: null");
        }
        out.writeZigZagLong(policy.tickMillis());
        out.writeZigZagInt(policy.systemReservePct());
        out.writeZigZagLong(policy.systemReserveMaxBytes());
        out.writeZigZagInt(policy.headroomPct());
        out.writeVarInt(policy.reserveMode().code());
        out.writeZigZagLong(policy.defaultFirmBytes());
        out.writeZigZagLong(policy.maxFirmBytes());
        out.writeZigZagLong(policy.heartbeatTimeoutMillis());
        out.writeZigZagLong(policy.minNodeBytes());
        out.writeZigZagLong(policy.ejectionGraceMillis());
        out.writeZigZagInt(policy.hysteresisPct());
        out.writeZigZagInt(policy.lowCapacityPct());
        out.writeNullableLong(policy.defaultOwnerQuotaBytes());
        out.writeLongMap(policy.ownerQuotaBytes());
    }

    /** Reads one policy written by {@link #encode}. */
    public static Policy decode(BinaryReader in) {
        long tickMillis = in.readZigZagLong("Policy.tickMillis");
        int systemReservePct = in.readZigZagInt("Policy.systemReservePct");
        long systemReserveMaxBytes = in.readZigZagLong("Policy.systemReserveMaxBytes");
        int headroomPct = in.readZigZagInt("Policy.headroomPct");
        ReserveMode reserveMode = readReserveMode(in);
        long defaultFirmBytes = in.readZigZagLong("Policy.defaultFirmBytes");
        long maxFirmBytes = in.readZigZagLong("Policy.maxFirmBytes");
        long heartbeatTimeoutMillis = in.readZigZagLong("Policy.heartbeatTimeoutMillis");
        long minNodeBytes = in.readZigZagLong("Policy.minNodeBytes");
        long ejectionGraceMillis = in.readZigZagLong("Policy.ejectionGraceMillis");
        int hysteresisPct = in.readZigZagInt("Policy.hysteresisPct");
        int lowCapacityPct = in.readZigZagInt("Policy.lowCapacityPct");
        Long defaultOwnerQuotaBytes = in.readNullableLong("Policy.defaultOwnerQuotaBytes");
        return new Policy(tickMillis, systemReservePct, systemReserveMaxBytes, headroomPct, reserveMode,
                defaultFirmBytes, maxFirmBytes, heartbeatTimeoutMillis, minNodeBytes, ejectionGraceMillis,
                hysteresisPct, lowCapacityPct, defaultOwnerQuotaBytes, in.readLongMap("Policy.ownerQuotaBytes"));
    }

    private static ReserveMode readReserveMode(BinaryReader in) {
        int at = in.position();
        int code = in.readVarInt("Policy.reserveMode");
        for (ReserveMode mode : ReserveMode.values()) {
            if (mode.code() == code) {
                return mode;
            }
        }
        throw new CodecException("unknown reserve mode code " + code + " for Policy.reserveMode at offset " + at);
    }
}
