package org.memledger.nodeagent;

import org.memledger.protocol.ByteSize;
import org.memledger.protocol.Policy;

/**
 * The memory a node keeps for itself (DESIGN §3.2):
 * {@code systemReserve = min(ceil(physical · systemReservePct / 100), systemReserveMaxBytes)}, and
 * the capacity the ledger will count, {@code max(0, min(declared, physical − systemReserve))}.
 * The agent computes these to warn an operator whose {@code --declare} is more than the machine
 * can give, and {@code memledger up} to declare what the machine can honestly offer; the ledger computes them again with the same rounding (up, the conservative
 * side) and is the authority.
 */
public record SystemReserve(int pct, long maxBytes) {
    public static SystemReserve of(Policy policy) {
        return new SystemReserve(policy.systemReservePct(), policy.systemReserveMaxBytes());
    }

    public long bytesFor(long physicalBytes) {
        long share = Readings.percentFloor(physicalBytes, pct);
        boolean inexact = (physicalBytes % 100) * pct % 100 != 0;
        return Math.min(inexact ? share + 1 : share, maxBytes);
    }

    long capacityFor(long declaredBytes, long physicalBytes) {
        return Math.max(0, Math.min(declaredBytes, physicalBytes - bytesFor(physicalBytes)));
    }

    /**
     * A warning when {@code declared} exceeds what the node can give, else null; e.g.
     * "--declare 16GiB exceeds physical memory 16GiB minus the system reserve 3.20 GiB (20 %,
     * at most 4GiB): the ledger will count at most 12.80 GiB".
     */
    String warning(long declaredBytes, long physicalBytes) {
        long reserve = bytesFor(physicalBytes);
        if (declaredBytes <= physicalBytes - reserve) {
            return null;
        }
        return "--declare " + ByteSize.format(declaredBytes) + " exceeds physical memory "
                + ByteSize.formatApprox(physicalBytes) + " minus the system reserve " + ByteSize.formatApprox(reserve)
                + " (" + pct + " %, at most " + ByteSize.format(maxBytes) + "): the ledger will count at most "
                + ByteSize.formatApprox(capacityFor(declaredBytes, physicalBytes));
    }
}
