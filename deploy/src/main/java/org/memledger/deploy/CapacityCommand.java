package org.memledger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import picocli.CommandLine.Command;

/** {@code memledger capacity}: cluster totals and per-node figures (GET /v1/capacity). */
@Command(name = "capacity", mixinStandardHelpOptions = true,
    description = "Show the cluster's capacity: totals, utilization, the largest ALL deployment, and every node.",
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger capacity",
        "  memledger capacity --json | jq .cluster.utilization",
        "",
        ClientCommand.EXIT_CODES})
final class CapacityCommand extends ClientCommand {
  @Override
  int run(ApiClient client) throws ApiClient.Failure {
    ApiClient.Reply reply = client.get("/v1/capacity");
    if (reply.status() != 200) {
      return failed(reply);
    }
    if (!printedRaw(reply)) {
      JsonNode c = reply.json().path("cluster");
      BigDecimal percent = c.path("utilization").decimalValue().movePointRight(2).stripTrailingZeros();
      Table summary = new Table("CLUSTER", "VALUE");
      summary.row("capacity", GetCommand.size(c.path("capacityBytes").asLong()))
          .row("reserved", GetCommand.size(c.path("reservedBytes").asLong()))
          .row("utilization", percent.toPlainString() + " %")
          .row("admissible (sum)", GetCommand.size(c.path("admissibleBytes").asLong()))
          .row("admissible for ALL", GetCommand.size(c.path("replicatedAdmissibleBytes").asLong()))
          .row("nodes admitting", text(c, "admittingNodes") + " of " + text(c, "totalNodes"))
          .row("ledger index", text(reply.json(), "ledgerIndex"));
      summary.print(out());
      out().println();
      NodesCommand.table(reply.json().path("nodes")).print(out());
    }
    return OK;
  }
}
