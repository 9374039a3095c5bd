package org.memledger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.memledger.protocol.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code memledger get}: one live deployment (GET /v1/deployments/{id}). */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Show one live deployment: bounds, placements, status.",
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger get web-1",
        "  memledger get web-1 --json",
        "",
        ClientCommand.EXIT_CODES})
final class GetCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "DEPLOYMENT_ID", description = "the deployment to show")
  String deploymentId;

  @Override
  int run(ApiClient client) throws ApiClient.Failure {
    ApiClient.Reply reply = client.get("/v1/deployments/" + Paths.segment(deploymentId));
    if (reply.status() != 200) {
      return failed(reply);
    }
    if (!printedRaw(reply)) {
      JsonNode d = reply.json();
      Table table = new Table("FIELD", "VALUE");
      table.row("deployment", text(d, "deploymentId"));
      table.row("owner", text(d, "owner"));
      table.row("status", text(d, "status"));
      table.row("firm", size(d.path("firmBytes").asLong()));
      table.row("min", size(d.path("minBytes").asLong()));
      table.row("reservation", size(d.path("reservationBytes").asLong()));
      table.row("replicas", text(d, "replicas") + (d.path("zoneSpread").asBoolean() ? " (zone spread)" : ""));
      table.row("priority", text(d, "priority"));
      table.row("placements", placements(d));
      table.row("admitted at", text(d, "admittedAt") + " (ledger index " + text(d, "admittedIndex") + ")");
      table.print(out());
    }
    return OK;
  }

  static String size(long bytes) {
    return ByteSize.formatApprox(bytes) + " (" + bytes + ")";
  }

  static String placements(JsonNode deployment) {
    List<String> nodes = new ArrayList<>();
    deployment.path("placements").forEach(p -> nodes.add(p.asText()));
    if (nodes.isEmpty()) {
      return "ALL".equals(deployment.path("replicas").asText()) ? "every admitting node" : "-";
    }
    return String.join(",", nodes);
  }
}
