package org.memledger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.memledger.protocol.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code memledger admit}: asks the ledger to admit a deployment (POST /v1/deployments). */
@Command(name = "admit", mixinStandardHelpOptions = true,
    description = "Ask the ledger to admit a deployment: every replica gives the same answer.",
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger admit web-1 --owner alice --firm 512Mi --min 256Mi",
        "  memledger admit web-2 --owner alice --firm 1Gi --replicas 3 --zone-spread",
        "  memledger admit chain-vm --owner chain --firm 2GiB --replicas ALL --json",
        "",
        ClientCommand.EXIT_CODES})
final class AdmitCommand extends ClientCommand {
  @Mixin
  DeploymentSpecOptions deployment;

  @Override
  int run(ApiClient client) throws ApiClient.Failure {
    return admission(this, client.send("POST", "/v1/deployments", deployment.request()), false);
  }

  /** Prints an admission or dry-run answer; returns 0 admitted, 2 rejected, 1 error. */
  static int admission(ClientCommand command, ApiClient.Reply reply, boolean dryRun) {
    JsonNode json = reply.json();
    String status = json == null ? "" : json.path("status").asText();
    boolean admitted = "ADMITTED".equals(status) && reply.status() < 300;
    boolean rejected = "REJECTED".equals(status) && (reply.status() == 409 || reply.status() == 200);
    if (!admitted && !rejected) {
      return command.failed(reply);
    }
    if (!command.printedRaw(reply)) {
      String id = json.path("deploymentId").asText();
      if (admitted) {
        List<String> placements = new ArrayList<>();
        json.path("placements").forEach(p -> placements.add(p.asText()));
        command.out().println((dryRun ? "would admit " : "admitted ") + id + " on "
            + (placements.isEmpty() ? "every admitting node" : String.join(", ", placements))
            + "; " + ByteSize.formatApprox(json.path("remainingBytes").asLong()) + " remain there"
            + " (ledger index " + json.path("ledgerIndex").asLong() + ")"
            + (json.path("duplicate").asBoolean() ? " [repeat of an identical earlier admission]" : "")
            + (dryRun ? " [dry run: nothing written]" : ""));
        json.path("warnings").forEach(w -> command.out().println("warning: " + w.path("message").asText(w.asText())));
      } else {
        long max = json.path("maxAdmissibleBytes").asLong();
        command.out().println((dryRun ? "would reject " : "rejected ") + id + ": " + json.path("reason").asText()
            + ": " + json.path("message").asText());
        command.out().println("largest firm limit admissible now: " + ByteSize.format(max) + " ("
            + ByteSize.formatApprox(max) + ", " + max + " bytes)");
      }
    }
    return admitted ? OK : REJECTED;
  }
}
