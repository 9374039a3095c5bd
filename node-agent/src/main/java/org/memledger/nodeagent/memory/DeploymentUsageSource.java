package org.memledger.nodeagent.memory;

import java.util.Objects;

/** A node source plus per-deployment usage from {@link DeploymentCgroups}: one complete reading. */
public final class DeploymentUsageSource implements MemorySource {
    private final MemorySource node;
    private final DeploymentCgroups deployments;

    public DeploymentUsageSource(MemorySource node, DeploymentCgroups deployments) {
        this.node = Objects.requireNonNull(node, "node");
        this.deployments = Objects.requireNonNull(deployments, "deployments");
    }

    @Override
    public MemoryReading read() throws MemoryReadException {
        return node.read().withDeploymentUsage(deployments.read());
    }

    @Override
    public String describe() {
        return node.describe() + ", deployments under " + deployments.root();
    }
}
