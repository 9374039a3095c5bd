package org.memledger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.memledger.protocol.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memledger list}: live deployments, one page (GET /v1/deployments). */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List live deployments in id order, one page at a time.",
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger list --owner alice --limit 50",
        "  memledger list --owner alice --after web-50",
        "",
        ClientCommand.EXIT_CODES})
final class ListCommand extends ClientCommand {
  @Option(names = "--owner", paramLabel = "OWNER", description = "only this owner's deployments")
  String owner;

  @Option(names = "--after", paramLabel = "DEPLOYMENT_ID", description = "start after this id (the previous page's next)")
  String after;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "page size (default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  int run(ApiClient client) throws ApiClient.Failure {
    StringBuilder path = new StringBuilder("/v1/deployments?limit=").append(limit);
    if (owner != null) {
      path.append("&owner=").append(Paths.segment(owner));
    }
    if (after != null) {
      path.append("&after=").append(Paths.segment(after));
    }
    ApiClient.Reply reply = client.get(path.toString());
    if (reply.status() != 200) {
      return failed(reply);
    }
    if (!printedRaw(reply)) {
      Table table = new Table("DEPLOYMENT", "OWNER", "FIRM", "MIN", "REPLICAS", "STATUS", "PLACEMENTS");
      for (JsonNode d : reply.json().path("deployments")) {
        table.row(text(d, "deploymentId"), text(d, "owner"), ByteSize.formatApprox(d.path("firmBytes").asLong()),
            ByteSize.formatApprox(d.path("minBytes").asLong()), text(d, "replicas"), text(d, "status"),
            GetCommand.placements(d));
      }
      table.print(out());
      JsonNode next = reply.json().path("next");
      if (next.isTextual()) {
        out().println("more: memledger list" + (owner == null ? "" : " --owner " + owner) + " --after "
            + next.asText());
      }
    }
    return OK;
  }
}
