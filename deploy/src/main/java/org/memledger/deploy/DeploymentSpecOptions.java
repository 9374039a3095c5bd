package org.memledger.deploy;

import org.memledger.protocol.Replicas;
import org.memledger.protocol.json.AdmitRequest;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What admit and check send: the deployment's id, owner, bounds and shape. Sizes take units. */
final class DeploymentSpecOptions {
  @Parameters(index = "0", paramLabel = "DEPLOYMENT_ID", description = "the deployment's id")
  String deploymentId;

  @Option(names = "--owner", paramLabel = "OWNER",
      description = "owner account (default: a client token's own owner)")
  String owner;

  @Option(names = "--firm", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
      description = "firm memory limit, e.g. 512Mi, 2GiB (default: the policy's defaultFirmBytes)")
  Long firmBytes;

  @Option(names = "--min", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
      description = "minimum memory required (default: the firm limit)")
  Long minBytes;

  @Option(names = "--replicas", paramLabel = "N|ALL", defaultValue = "1",
      converter = Converters.ReplicasConverter.class,
      description = "distinct nodes to run on, or ALL for every node (default: ${DEFAULT-VALUE})")
  Replicas replicas;

  @Option(names = "--zone-spread", description = "place the replicas in distinct zones")
  boolean zoneSpread;

  @Option(names = "--priority", paramLabel = "N", defaultValue = "0", description = "priority (default: 0)")
  int priority;

  AdmitRequest request() {
    return new AdmitRequest(deploymentId, owner, minBytes, firmBytes, replicas, zoneSpread, priority);
  }
}
