package org.memledger.coordinator.ledger;

/** An owner's running totals, for quotas. */
final class OwnerRecord {
    final String owner;
    long reservedBytes;
    long deployments;

    OwnerRecord(String owner) {
        this.owner = owner;
    }
}
