package org.memledger.deploy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code memledger release}: ends a deployment's reservation (DELETE /v1/deployments/{id}). */
@Command(name = "release", mixinStandardHelpOptions = true,
    description = "Release a deployment: its reservation ends and its rent stops.",
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger release web-1",
        "",
        ClientCommand.EXIT_CODES})
final class ReleaseCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "DEPLOYMENT_ID", description = "the deployment to release")
  String deploymentId;

  @Override
  int run(ApiClient client) throws ApiClient.Failure {
    ApiClient.Reply reply = client.send("DELETE", "/v1/deployments/" + Paths.segment(deploymentId), null);
    if (reply.status() != 200) {
      return failed(reply);
    }
    if (!printedRaw(reply)) {
      out().println("released " + reply.json().path("deploymentId").asText() + " at "
          + reply.json().path("releasedAt").asText() + " (ledger index " + reply.json().path("ledgerIndex").asLong()
          + ")");
    }
    return OK;
  }
}
