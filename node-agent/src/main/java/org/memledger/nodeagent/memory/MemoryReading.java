package org.memledger.nodeagent.memory;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.memledger.protocol.Identifiers;

/**
 * One measurement of a node, in bytes: what the machine (or the agent's cgroup) has, what is
 * still available to new work, and what each deployment running here uses. These are exactly the
 * measured fields of a report ({@code physicalBytes}, {@code availableBytes},
 * {@code deploymentUsage}); the declared size is the operator's and is not measured.
 *
 * <p>Invariants, checked on construction: {@code 0 <= available <= physical}, deployment ids are
 * valid ids, usages are non-negative. The usage map is an immutable sorted copy, so readings can
 * be shared between threads and compared with {@link #equals}.
 */
public record MemoryReading(long physicalBytes, long availableBytes, SortedMap<String, Long> deploymentUsage) {

    public MemoryReading {
        if (physicalBytes < 0) {
            throw new IllegalArgumentException("physical memory must not be negative, was " + physicalBytes);
        }
        if (availableBytes < 0 || availableBytes > physicalBytes) {
            throw new IllegalArgumentException("available memory must be between 0 and physical (" + physicalBytes
                    + "), was " + availableBytes);
        }
        TreeMap<String, Long> usage = new TreeMap<>();
        if (deploymentUsage != null) {
            for (Map.Entry<String, Long> entry : deploymentUsage.entrySet()) {
                if (!Identifiers.isValid(entry.getKey())) {
                    throw new IllegalArgumentException(Identifiers.explain("deployment id", entry.getKey()));
                }
                if (entry.getValue() == null || entry.getValue() < 0) {
                    throw new IllegalArgumentException("usage of deployment " + entry.getKey()
                            + " must be a non-negative byte count, was " + entry.getValue());
                }
                usage.put(entry.getKey(), entry.getValue());
            }
        }
        deploymentUsage = Collections.unmodifiableSortedMap(usage);
    }

    /** A node-level reading with no deployment usage. */
    public static MemoryReading of(long physicalBytes, long availableBytes) {
        return new MemoryReading(physicalBytes, availableBytes, null);
    }

    /** This reading with {@code usage} as its deployment usage. */
    public MemoryReading withDeploymentUsage(SortedMap<String, Long> usage) {
        return new MemoryReading(physicalBytes, availableBytes, usage);
    }
}
