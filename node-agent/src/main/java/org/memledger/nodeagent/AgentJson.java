package org.memledger.nodeagent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.memledger.nodeagent.memory.MemoryReading;
import org.memledger.protocol.Policy;
import org.memledger.protocol.RegisterNode;
import org.memledger.protocol.ReportNode;

/**
 * The JSON the agent sends and reads (DESIGN §5). Bodies are written field by field rather than
 * by serialising the protocol records, so that the wire names and their order are visibly the
 * contract's and the node id stays in the URL only. Answers are read leniently (a field the agent
 * does not know is ignored; a body that is not JSON reads as empty), because an answer's body is
 * only ever used for messages.
 */
final class AgentJson {
    /** Messages quoted from answers are cut here: one log line, not a page. */
    private static final int MAX_QUOTED_CHARS = 300;
    /** At most this many ledger warnings are read from one answer. */
    static final int MAX_WARNINGS = 64;

    private final ObjectMapper mapper = new ObjectMapper();

    /** {@code PUT /v1/nodes/{id}}: {@code {"operator","zone","labels","declaredBytes"}}. */
    String registerBody(RegisterNode node) {
        ObjectNode body = mapper.createObjectNode();
        body.put("operator", node.operator());
        body.put("zone", node.zone());
        ObjectNode labels = body.putObject("labels");
        node.labels().forEach(labels::put);
        body.put("declaredBytes", node.declaredBytes());
        return write(body);
    }

    /** {@code POST /v1/nodes/{id}/reports}: {@code {"seq","declaredBytes","physicalBytes","availableBytes","deploymentUsage"}}. */
    String reportBody(ReportNode report) {
        ObjectNode body = mapper.createObjectNode();
        body.put("seq", report.seq());
        body.put("declaredBytes", report.declaredBytes());
        body.put("physicalBytes", report.physicalBytes());
        body.put("availableBytes", report.availableBytes());
        putUsage(body, report.deploymentUsage());
        return write(body);
    }

    /**
     * What {@code memledger agent --once --print --json} prints: the measured report fields under
     * their report names, with the node and source they describe.
     *
     * @param declaredBytes the declared size, or null when none was given
     */
    String measurement(String nodeId, String source, Long declaredBytes, MemoryReading reading) {
        ObjectNode body = mapper.createObjectNode();
        body.put("nodeId", nodeId);
        body.put("source", source);
        if (declaredBytes != null) {
            body.put("declaredBytes", declaredBytes);
        }
        body.put("physicalBytes", reading.physicalBytes());
        body.put("availableBytes", reading.availableBytes());
        putUsage(body, reading.deploymentUsage());
        return write(body);
    }

    /**
     * An error answer in one line: {@code 404 NOT_FOUND: node n1 is not registered} from a
     * {@code {"error":{"code","message"}}} body, else the status and the start of the body.
     */
    String describeError(int status, String body) {
        JsonNode error = parse(body).path("error");
        String code = error.path("code").asText("");
        String message = error.path("message").asText("");
        if (!code.isEmpty() || !message.isEmpty()) {
            return status + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + oneLine(message));
        }
        String text = oneLine(body == null ? "" : body);
        return "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
    }

    /**
     * The warnings an answer carries in a {@code "warnings"} array; empty when it has no such
     * field (as opposed to an empty array, which says there are none).
     */
    Optional<List<LedgerWarning>> warnings(String body) {
        JsonNode warnings = parse(body).path("warnings");
        if (!warnings.isArray()) {
            return Optional.empty();
        }
        List<LedgerWarning> result = new ArrayList<>();
        for (int i = 0; i < warnings.size() && i < MAX_WARNINGS; i++) {
            result.add(warning(warnings.get(i)));
        }
        return Optional.of(result);
    }

    /**
     * The system reserve in a {@code GET /v1/policy} answer; fields it lacks or gives in a form
     * the agent cannot read keep their defaults.
     */
    SystemReserve reserve(String policyBody) {
        Policy defaults = Policy.defaults();
        JsonNode policy = parse(policyBody);
        JsonNode pct = policy.path("systemReservePct");
        JsonNode max = policy.path("systemReserveMaxBytes");
        boolean pctValid = pct.canConvertToInt() && pct.asInt() >= 0 && pct.asInt() <= 100;
        boolean maxValid = max.canConvertToLong() && max.asLong() >= 0;
        return new SystemReserve(pctValid ? pct.asInt() : defaults.systemReservePct(),
                maxValid ? max.asLong() : defaults.systemReserveMaxBytes());
    }

    private LedgerWarning warning(JsonNode warning) {
        if (!warning.isObject()) {
            String text = oneLine(warning.isTextual() ? warning.asText() : warning.toString());
            return new LedgerWarning(text, text);
        }
        StringBuilder text = new StringBuilder();
        appendIfPresent(text, warning.path("severity"));
        appendIfPresent(text, warning.path("kind"));
        appendIfPresent(text, warning.path("subject"));
        String message = warning.path("message").asText("");
        text.append(text.length() == 0 ? "" : ": ").append(message.isEmpty() ? warning.toString() : message);
        String line = oneLine(text.toString());
        String id = warning.path("id").asText("");
        return new LedgerWarning(id.isEmpty() ? line : id, line);
    }

    private static void appendIfPresent(StringBuilder text, JsonNode value) {
        if (value.isValueNode() && !value.isNull()) {
            text.append(text.length() == 0 ? "" : " ").append(value.asText());
        }
    }

    private static void putUsage(ObjectNode body, Map<String, Long> usage) {
        ObjectNode map = body.putObject("deploymentUsage");
        usage.forEach(map::put);
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private String write(ObjectNode body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers failed to serialise", e);
        }
    }

    /** Control characters flattened to spaces, cut to {@link #MAX_QUOTED_CHARS}. */
    private static String oneLine(String text) {
        String flat = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return flat.length() > MAX_QUOTED_CHARS ? flat.substring(0, MAX_QUOTED_CHARS - 3) + "..." : flat;
    }

    /**
     * A warning the ledger returned for this node.
     *
     * @param key  its id, or its text when it has none: a warning is shown once per key
     * @param text one line for the operator
     */
    record LedgerWarning(String key, String text) {
    }
}
