package org.memledger.deploy;

import java.io.IOException;
import java.net.URI;

import org.memledger.coordinator.api.HttpApiConfig;
import org.memledger.coordinator.api.HttpApiServer;
import org.memledger.coordinator.raft.Replica;
import org.memledger.coordinator.raft.ReplicaConfig;
import org.memledger.coordinator.raft.ReplicaGateway;
import org.memledger.coordinator.raft.ReplicaStartException;

/**
 * A Raft replica with its HTTP API in front: what {@code memledger coordinator} and
 * {@code memledger up} run. Starts the replica first (the API needs something to serve) and
 * stops in the reverse order, so no request arrives at a closed replica: close stops accepting
 * HTTP, then drains the replica's commands in flight and closes Raft.
 */
final class ServingReplica implements AutoCloseable {
    private final Replica replica;
    private final HttpApiServer api;

    private ServingReplica(Replica replica, HttpApiServer api) {
        this.replica = replica;
        this.api = api;
    }

    /**
     * Starts both; if the API cannot start (port in use, bad TLS files) the replica is closed again.
     *
     * @throws IOException when the replica or the API cannot start (the message says why)
     */
    static ServingReplica start(ReplicaConfig replicaConfig, HttpApiConfig apiConfig) throws IOException {
        Replica replica = Replica.start(replicaConfig);
        try {
            HttpApiServer api = new HttpApiServer(new ReplicaGateway(replica), apiConfig);
            api.start();
            return new ServingReplica(replica, api);
        } catch (Exception e) { // Netty rethrows a BindException undeclared: catch everything, close, explain
            replica.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ReplicaStartException("HTTP API on " + apiConfig.host() + ":" + apiConfig.port() + " could not start: "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
    }

    Replica replica() {
        return replica;
    }

    URI apiUri() {
        return api.uri();
    }

    @Override
    public void close() {
        api.close();
        replica.close();
    }
}
