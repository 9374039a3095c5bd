package org.memledger.deploy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code memledger check}: the admission's dry run (POST /v1/deployments:check); writes nothing. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Ask whether a deployment would be admitted now, without writing anything.",
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger check web-1 --owner alice --firm 4Gi --replicas 2",
        "",
        ClientCommand.EXIT_CODES})
final class CheckCommand extends ClientCommand {
  @Mixin
  DeploymentSpecOptions deployment;

  @Override
  int run(ApiClient client) throws ApiClient.Failure {
    return AdmitCommand.admission(this, client.send("POST", "/v1/deployments:check", deployment.request()), true);
  }
}
