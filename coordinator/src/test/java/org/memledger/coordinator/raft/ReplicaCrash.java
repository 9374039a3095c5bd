package org.memledger.coordinator.raft;

/**
 * Test hook for tests outside this package (the API's end-to-end tests): stops a replica's Raft
 * server at once, as if its process died, with no drain and no leadership hand-over.
 */
public final class ReplicaCrash {
    private ReplicaCrash() {
    }

    public static void crash(Replica replica) {
        replica.crash();
    }
}
