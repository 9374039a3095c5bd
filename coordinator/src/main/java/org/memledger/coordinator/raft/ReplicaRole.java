package org.memledger.coordinator.raft;

/** A replica's Raft role as shown in {@code /v1/status}; {@link #STOPPED} when its server is not running. */
public enum ReplicaRole {
    LEADER,
    FOLLOWER,
    CANDIDATE,
    LISTENER,
    STOPPED
}
