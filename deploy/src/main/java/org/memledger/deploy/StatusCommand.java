package org.memledger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code memledger status}: the answering replica's role, term, applied index and state hash. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the replica behind --api: role, leader, term, applied index, state hash, peers.",
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger status --api http://10.0.0.5:7070",
        "",
        ClientCommand.EXIT_CODES})
final class StatusCommand extends ClientCommand {
  @Override
  int run(ApiClient client) throws ApiClient.Failure {
    ApiClient.Reply reply = client.get("/v1/status");
    if (reply.status() != 200) {
      return failed(reply);
    }
    if (!printedRaw(reply)) {
      JsonNode s = reply.json();
      List<String> peers = new ArrayList<>();
      s.path("peers").forEach(p -> peers.add(p.asText()));
      Table table = new Table("FIELD", "VALUE");
      table.row("replica", text(s, "replicaId")).row("role", text(s, "role")).row("leader", text(s, "leaderId"))
          .row("term", text(s, "term")).row("applied index", text(s, "appliedIndex"))
          .row("state hash", text(s, "stateHash")).row("peers", String.join(",", peers));
      table.print(out());
    }
    return OK;
  }
}
