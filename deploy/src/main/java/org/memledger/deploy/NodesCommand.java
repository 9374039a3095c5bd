package org.memledger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.memledger.protocol.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code memledger nodes}: every node's figures, or one node's (GET /v1/nodes[/{id}]). */
@Command(name = "nodes", mixinStandardHelpOptions = true,
    description = "Show the nodes the ledger knows: state, capacity, reserved and admissible memory.",
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger nodes",
        "  memledger nodes n1 --json",
        "",
        ClientCommand.EXIT_CODES})
final class NodesCommand extends ClientCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "NODE_ID", description = "show only this node")
  String nodeId;

  @Override
  int run(ApiClient client) throws ApiClient.Failure {
    ApiClient.Reply reply = client.get(nodeId == null ? "/v1/nodes" : "/v1/nodes/" + Paths.segment(nodeId));
    if (reply.status() != 200) {
      return failed(reply);
    }
    if (!printedRaw(reply)) {
      if (nodeId == null) {
        table(reply.json().path("nodes")).print(out());
      } else {
        JsonNode n = reply.json();
        Table table = new Table("FIELD", "VALUE");
        table.row("node", text(n, "nodeId")).row("state", text(n, "state")).row("zone", text(n, "zone"))
            .row("operator", text(n, "operator"))
            .row("declared", GetCommand.size(n.path("declaredBytes").asLong()))
            .row("physical", GetCommand.size(n.path("physicalBytes").asLong()))
            .row("available", GetCommand.size(n.path("availableBytes").asLong()))
            .row("capacity", GetCommand.size(n.path("capacityBytes").asLong()))
            .row("reserved", GetCommand.size(n.path("reservedBytes").asLong()))
            .row("used", GetCommand.size(n.path("usedBytes").asLong()))
            .row("admissible", GetCommand.size(n.path("admissibleBytes").asLong()))
            .row("deployments", text(n, "hostedDeployments"))
            .row("last report", text(n, "lastReportAt") + " (seq " + text(n, "lastReportSeq") + ")");
        table.print(out());
      }
    }
    return OK;
  }

  static Table table(JsonNode nodes) {
    Table table = new Table("NODE", "STATE", "ZONE", "OPERATOR", "CAPACITY", "RESERVED", "USED", "ADMISSIBLE");
    for (JsonNode n : nodes) {
      table.row(text(n, "nodeId"), text(n, "state"), text(n, "zone"), text(n, "operator"),
          ByteSize.formatApprox(n.path("capacityBytes").asLong()),
          ByteSize.formatApprox(n.path("reservedBytes").asLong()),
          ByteSize.formatApprox(n.path("usedBytes").asLong()),
          ByteSize.formatApprox(n.path("admissibleBytes").asLong()));
    }
    return table;
  }
}
