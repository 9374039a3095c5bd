package org.memledger.protocol.json;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.memledger.protocol.DeploymentView;
import org.memledger.protocol.Replicas;

/**
 * A live deployment. {@code ledgerIndex} is present when the deployment is the whole answer
 * ({@code GET /v1/deployments/{id}}) and left out inside a list, which carries its own.
 */
public record DeploymentJson(String deploymentId, String owner, long minBytes, long firmBytes, long reservationBytes,
                             Replicas replicas, boolean zoneSpread, int priority, String status,
                             List<String> placements, String admittedAt, long admittedIndex,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Long ledgerIndex) {

    public static DeploymentJson from(DeploymentView view, Long ledgerIndex) {
        return new DeploymentJson(view.deploymentId(), view.owner(), view.minBytes(), view.firmBytes(),
                view.reservationBytes(), view.replicas(), view.zoneSpread(), view.priority(), view.status().name(),
                view.placements(), Times.format(view.admittedAtMillis()), view.admittedIndex(), ledgerIndex);
    }
}
