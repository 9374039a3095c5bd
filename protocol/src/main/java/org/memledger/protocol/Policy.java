package org.memledger.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one replicated policy. Every tunable rule of the ledger lives here, changed only by a
 * {@link SetPolicy} entry so that all replicas switch at the same log index. Percentages are
 * whole percent; sizes are bytes; durations are milliseconds.
 *
 * @param tickMillis               how often the leader proposes a Tick while time-driven duties exist
 * @param systemReservePct         share of physical memory a node keeps for itself
 * @param systemReserveMaxBytes    cap on that share
 * @param headroomPct              share of capacity never handed out
 * @param reserveMode              what a deployment reserves: its firm limit or its minimum
 * @param defaultFirmBytes         firm limit of a deployment that states none
 * @param maxFirmBytes             largest firm limit any deployment may ask for
 * @param heartbeatTimeoutMillis   silence after which a node is DOWN
 * @param minNodeBytes             capacity below which a node is told to grow or be ejected
 * @param ejectionGraceMillis      how long a warned node has to remedy before ejection
 * @param hysteresisPct            how far below its threshold a warning must fall to resolve
 * @param lowCapacityPct           admissible share of capacity below which the cluster is low
 * @param defaultOwnerQuotaBytes   reserved-bytes quota of an owner without its own entry; null = none
 * @param ownerQuotaBytes          per-owner quotas (reserved bytes summed over all placements)
 */
public record Policy(long tickMillis, int systemReservePct, long systemReserveMaxBytes, int headroomPct,
                     ReserveMode reserveMode, long defaultFirmBytes, long maxFirmBytes,
                     long heartbeatTimeoutMillis, long minNodeBytes, long ejectionGraceMillis,
                     int hysteresisPct, int lowCapacityPct, Long defaultOwnerQuotaBytes,
                     SortedMap<String, Long> ownerQuotaBytes) {

    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    public Policy {
        // Unmodifiable: the ledger hands its policy to readers, who must not be able to change it.
        ownerQuotaBytes = Collections.unmodifiableSortedMap(ownerQuotaBytes == null ? new TreeMap<>()
                : new TreeMap<>((Map<String, Long>) ownerQuotaBytes));
    }

    public static Policy defaults() {
        return new Policy(1_000, 20, 4 * GIB, 2, ReserveMode.FIRM, 16 * MIB, 64 * GIB,
                30_000, 1 * GIB, 3_600_000, 5, 10, null, new TreeMap<>());
    }

    /** The quota that applies to {@code owner}, if any. */
    public Optional<Long> quotaFor(String owner) {
        Long own = ownerQuotaBytes.get(owner);
        return Optional.ofNullable(own != null ? own : defaultOwnerQuotaBytes);
    }

    /** The first thing wrong with this policy, if anything; field names match the JSON form. */
    public Optional<FieldError> validate() {
        if (tickMillis < 10 || tickMillis > 3_600_000) {
            return error("tickMillis", "must be between 10 and 3600000 ms, was " + tickMillis);
        }
        if (systemReservePct < 0 || systemReservePct > 90) {
            return error("systemReservePct", "must be between 0 and 90, was " + systemReservePct);
        }
        if (systemReserveMaxBytes < 0) {
            return error("systemReserveMaxBytes", "must not be negative, was " + systemReserveMaxBytes);
        }
        if (headroomPct < 0 || headroomPct > 50) {
            return error("headroomPct", "must be between 0 and 50, was " + headroomPct);
        }
        if (reserveMode == null) {
            return error("reserveMode", "is required (FIRM or MIN)");
        }
        if (maxFirmBytes <= 0) {
            return error("maxFirmBytes", "must be positive, was " + maxFirmBytes);
        }
        if (defaultFirmBytes <= 0 || defaultFirmBytes > maxFirmBytes) {
            return error("defaultFirmBytes", "must be positive and at most maxFirmBytes (" + maxFirmBytes
                    + "), was " + defaultFirmBytes);
        }
        if (heartbeatTimeoutMillis < 100) {
            return error("heartbeatTimeoutMillis", "must be at least 100 ms, was " + heartbeatTimeoutMillis);
        }
        if (minNodeBytes < 0) {
            return error("minNodeBytes", "must not be negative, was " + minNodeBytes);
        }
        if (ejectionGraceMillis < 0) {
            return error("ejectionGraceMillis", "must not be negative, was " + ejectionGraceMillis);
        }
        if (hysteresisPct < 0 || hysteresisPct > 50) {
            return error("hysteresisPct", "must be between 0 and 50, was " + hysteresisPct);
        }
        if (lowCapacityPct < 0 || lowCapacityPct > 100) {
            return error("lowCapacityPct", "must be between 0 and 100, was " + lowCapacityPct);
        }
        if (defaultOwnerQuotaBytes != null && defaultOwnerQuotaBytes < 0) {
            return error("defaultOwnerQuotaBytes", "must not be negative, was " + defaultOwnerQuotaBytes);
        }
        for (Map.Entry<String, Long> quota : ownerQuotaBytes.entrySet()) {
            if (!Identifiers.isValid(quota.getKey())) {
                return error("ownerQuotaBytes", "owner '" + quota.getKey() + "' is not a valid id");
            }
            if (quota.getValue() == null || quota.getValue() < 0) {
                return error("ownerQuotaBytes." + quota.getKey(), "must be a non-negative byte count");
            }
        }
        return Optional.empty();
    }

    private static Optional<FieldError> error(String field, String message) {
        return Optional.of(new FieldError(field, message));
    }

    /** A builder seeded with this policy's values: read, change, write. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few values of a policy without restating the others. */
    public static final class Builder {
        private long tickMillis;
        private int systemReservePct;
        private long systemReserveMaxBytes;
        private int headroomPct;
        private ReserveMode reserveMode;
        private long defaultFirmBytes;
        private long maxFirmBytes;
        private long heartbeatTimeoutMillis;
        private long minNodeBytes;
        private long ejectionGraceMillis;
        private int hysteresisPct;
        private int lowCapacityPct;
        private Long defaultOwnerQuotaBytes;
        private SortedMap<String, Long> ownerQuotaBytes;

        private Builder(Policy p) {
            tickMillis = p.tickMillis;
            systemReservePct = p.systemReservePct;
            systemReserveMaxBytes = p.systemReserveMaxBytes;
            headroomPct = p.headroomPct;
            reserveMode = p.reserveMode;
            defaultFirmBytes = p.defaultFirmBytes;
            maxFirmBytes = p.maxFirmBytes;
            heartbeatTimeoutMillis = p.heartbeatTimeoutMillis;
            minNodeBytes = p.minNodeBytes;
            ejectionGraceMillis = p.ejectionGraceMillis;
            hysteresisPct = p.hysteresisPct;
            lowCapacityPct = p.lowCapacityPct;
            defaultOwnerQuotaBytes = p.defaultOwnerQuotaBytes;
            ownerQuotaBytes = p.ownerQuotaBytes;
        }

        public Builder tickMillis(long value) {
            tickMillis = value;
            return this;
        }

        public Builder systemReservePct(int value) {
            systemReservePct = value;
            return this;
        }

        public Builder systemReserveMaxBytes(long value) {
            systemReserveMaxBytes = value;
            return this;
        }

        public Builder headroomPct(int value) {
            headroomPct = value;
            return this;
        }

        public Builder reserveMode(ReserveMode value) {
            reserveMode = value;
            return this;
        }

        public Builder defaultFirmBytes(long value) {
            defaultFirmBytes = value;
            return this;
        }

        public Builder maxFirmBytes(long value) {
            maxFirmBytes = value;
            return this;
        }

        public Builder heartbeatTimeoutMillis(long value) {
            heartbeatTimeoutMillis = value;
            return this;
        }

        public Builder minNodeBytes(long value) {
            minNodeBytes = value;
            return this;
        }

        public Builder ejectionGraceMillis(long value) {
            ejectionGraceMillis = value;
            return this;
        }

        public Builder hysteresisPct(int value) {
            hysteresisPct = value;
            return this;
        }

        public Builder lowCapacityPct(int value) {
            lowCapacityPct = value;
            return this;
        }

        public Builder defaultOwnerQuotaBytes(Long value) {
            defaultOwnerQuotaBytes = value;
            return this;
        }

        public Builder ownerQuotaBytes(SortedMap<String, Long> value) {
            ownerQuotaBytes = value;
            return this;
        }

        public Policy build() {
            return new Policy(tickMillis, systemReservePct, systemReserveMaxBytes, headroomPct, reserveMode, defaultFirmBytes, maxFirmBytes, heartbeatTimeoutMillis, minNodeBytes, ejectionGraceMillis, hysteresisPct, lowCapacityPct, defaultOwnerQuotaBytes, ownerQuotaBytes);
        }
    }
}
