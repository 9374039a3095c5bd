package org.memledger.protocol.json;

import java.util.List;

/**
 * {@code GET /v1/deployments}: one page in id order. {@code next} is the cursor for the following
 * page ({@code ?after=<next>}), null on the last page.
 */
public record DeploymentList(long ledgerIndex, List<DeploymentJson> deployments, String next) {
}
