package org.memledger.protocol;

/**
 * Cluster-wide capacity figures. Capacity and reserved are summed over nodes that are neither
 * pending nor ejected; admissible over nodes that admit. {@code replicatedAdmissibleBytes} is the
 * largest firm limit a {@code replicas = ALL} deployment could get (the smallest admissible among
 * admitting nodes). Utilization is reserved / capacity in basis points (no floating point in the
 * ledger; the API renders it as a fraction).
 */
public record ClusterCapacity(long capacityBytes, long reservedBytes, long admissibleBytes,
                              long replicatedAdmissibleBytes, long utilizationBasisPoints, int admittingNodes,
                              int totalNodes) {
}
