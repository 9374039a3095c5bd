package org.memledger.coordinator.api;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.netty.handler.codec.http.HttpMethod;

import org.memledger.protocol.Admit;
import org.memledger.protocol.Admitted;
import org.memledger.protocol.ByteSize;
import org.memledger.protocol.ByteSizeException;
import org.memledger.protocol.CommandValidator;
import org.memledger.protocol.Identifiers;
import org.memledger.protocol.Invalid;
import org.memledger.protocol.NodeView;
import org.memledger.protocol.Rejected;
import org.memledger.protocol.Release;
import org.memledger.protocol.Replicas;
import org.memledger.protocol.Result;
import org.memledger.protocol.ResultKind;

/**
 * {@code POST /k8s/admission}: a Kubernetes {@code admission.k8s.io/v1} validating webhook for Pods.
 *
 * <p>CREATE of a Pod becomes an admission: the pod's memory requests are its minimum and its
 * memory limits its firm limit, summed like the kubelet does (app containers and sidecars add up,
 * ordinary init containers run alone, so the pod needs the larger of the two; {@code spec.overhead}
 * adds to both). A container without a memory limit counts as the policy's {@code defaultFirmBytes},
 * or its request if that is larger; a pod whose requests add up to 0 gets a 1-byte minimum. The
 * deployment id is {@code <namespace>.<pod name>} (a namespace has no dots, so the split is
 * unambiguous), cut to 111 characters plus {@code -<16 hex of SHA-256>} when longer than an id may
 * be; a pod without a name yet (generateName) uses generateName + uid. The owner is the namespace,
 * and the pod's {@code spec.priority} (clamped to the ledger's range) its priority. DELETE of
 * a Pod releases that id and never blocks the deletion. {@code dryRun} requests use the ledger's
 * dry run and write nothing. Anything other than a Pod CREATE or DELETE is allowed untouched.
 *
 * <p>The review's answer is always HTTP 200 with the request's {@code uid}: {@code allowed}, a
 * {@code status.message} with the reason and {@code maxAdmissibleBytes}, and {@code warnings} when
 * a node the pod lands on is left with less than 10 % of its capacity admissible. Only a broken
 * review (not JSON, not an AdmissionReview) or an unavailable ledger answer with an HTTP error, so
 * the webhook's {@code failurePolicy} decides.
 */
final class KubernetesAdmission {
    static final String API_VERSION = "admission.k8s.io/v1";
    static final String KIND = "AdmissionReview";
    /** Near-capacity warning threshold: admissible left below this share of the node's capacity. */
    static final int LOW_REMAINING_PERCENT = 10;
    private static final int HASH_HEX_LENGTH = 16;

    private final LedgerCalls ledger;
    private final ObjectMapper reviews = reviewMapper();

    KubernetesAdmission(LedgerCalls ledger) {
        this.ledger = ledger;
    }

    void register(Router router) {
        router.add(HttpMethod.POST, "/k8s/admission", EnumSet.of(Role.ADMIN), this::review);
    }

    /** Kubernetes objects are larger and deeper than our own bodies; unknown fields are the norm. */
    private static ObjectMapper reviewMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxNumberLength(64).build())
                .build();
        return JsonMapper.builder(factory).build();
    }

    private CompletableFuture<ApiResponse> review(ApiRequest request) {
        request.allowQuery(Set.of());
        JsonNode review = parse(request);
        JsonNode req = review.path("request");
        String uid = req.path("uid").isTextual() ? req.path("uid").asText() : null;
        if (uid == null || uid.isEmpty()) {
            throw ApiError.invalid("request.uid", "request.uid is required (a string)");
        }
        Answer answer = new Answer(uid);
        JsonNode kind = req.path("kind");
        String operation = req.path("operation").asText("");
        if (!"Pod".equals(kind.path("kind").asText()) || !kind.path("group").asText("").isEmpty()) {
            return answer.allow("memledger admits Pods only; " + kind.path("kind").asText("this object")
                    + " passes untouched").respond(ledger.appliedIndex());
        }
        boolean dryRun = req.path("dryRun").asBoolean(false);
        switch (operation) {
            case "CREATE":
                return create(request, req, answer, dryRun);
            case "DELETE":
                return delete(request, req, answer, dryRun);
            default:
                return answer.allow("memledger acts on Pod CREATE and DELETE only; " + operation + " passes")
                        .respond(ledger.appliedIndex());
        }
    }

    private JsonNode parse(ApiRequest request) {
        JsonBodies.requireJsonContentType(request);
        if (request.body().length == 0) {
            throw new ApiError(ApiError.Code.MALFORMED_JSON, "an AdmissionReview body is required", "body");
        }
        JsonNode review;
        try {
            review = reviews.readTree(request.body());
        } catch (IOException e) {
            throw JsonBodies.translate(e);
        }
        if (review == null || !review.isObject()) {
            throw ApiError.invalid("body", "the body must be an AdmissionReview object");
        }
        if (!API_VERSION.equals(review.path("apiVersion").asText())) {
            throw ApiError.invalid("apiVersion", "apiVersion must be " + API_VERSION + ", was '"
                    + review.path("apiVersion").asText() + "'");
        }
        if (!KIND.equals(review.path("kind").asText())) {
            throw ApiError.invalid("kind", "kind must be " + KIND + ", was '" + review.path("kind").asText() + "'");
        }
        if (!review.path("request").isObject()) {
            throw ApiError.invalid("request", "request is required (an object)");
        }
        return review;
    }

    // ---- CREATE ------------------------------------------------------------------------------

    private CompletableFuture<ApiResponse> create(ApiRequest request, JsonNode req, Answer answer, boolean dryRun) {
        JsonNode pod = req.path("object");
        String namespace = namespace(req, pod);
        String name = req.path("name").asText("");
        if (name.isEmpty()) {
            name = pod.path("metadata").path("name").asText("");
        }
        if (name.isEmpty()) {
            String uid = pod.path("metadata").path("uid").asText(req.path("uid").asText());
            name = pod.path("metadata").path("generateName").asText("pod-") + uid;
        }
        String deploymentId = deploymentId(namespace, name);
        long defaultFirm = ledger.gateway().read(views -> views.policy().defaultFirmBytes()).value();
        Admit admit;
        try {
            PodMemory memory = PodMemory.of(pod.path("spec"), defaultFirm);
            admit = new Admit(deploymentId, namespace, Math.max(1, memory.minBytes), memory.firmBytes, Replicas.of(1),
                    false, priority(pod.path("spec")));
        } catch (PodSpecException e) {
            return answer.deny(400, "memledger cannot size pod " + namespace + "/" + name + ": " + e.getMessage())
                    .respond(ledger.appliedIndex());
        }
        Optional<org.memledger.protocol.FieldError> shape = CommandValidator.validate(admit);
        if (shape.isPresent()) {
            return answer.deny(400, "memledger cannot admit pod " + namespace + "/" + name + ": "
                    + shape.get().field() + ": " + shape.get().message()).respond(ledger.appliedIndex());
        }
        if (dryRun) {
            LedgerGateway.ReadResult<Result> checked = ledger.gateway().check(admit);
            return decided(checked.value(), admit, answer.note("dry run: nothing was written"))
                    .respond(checked.ledgerIndex());
        }
        return ledger.submit(request, admit).thenApply(result -> {
            long index = result.kind() == ResultKind.ADMITTED ? ((Admitted) result).admittedIndex()
                    : ledger.appliedIndex();
            return decided(result, admit, answer).respond(index).join();
        });
    }

    private Answer decided(Result result, Admit admit, Answer answer) {
        switch (result.kind()) {
            case ADMITTED: {
                Admitted admitted = (Admitted) result;
                nearCapacityWarnings(admitted).forEach(answer::warn);
                return answer.allow("memledger admitted " + admit.deploymentId() + " (" + admit.firmBytes()
                        + " bytes firm) on " + String.join(",", admitted.placements()) + "; "
                        + admitted.remainingBytes() + " bytes remain there");
            }
            case REJECTED: {
                Rejected rejected = (Rejected) result;
                return answer.deny(403, "memledger rejected " + admit.deploymentId() + ": " + rejected.reason()
                        + ": " + rejected.message() + "; maxAdmissibleBytes=" + rejected.maxAdmissibleBytes()
                        + " (" + ByteSize.formatApprox(rejected.maxAdmissibleBytes()) + ")");
            }
            case INVALID:
                return answer.deny(400, "memledger cannot admit " + admit.deploymentId() + ": "
                        + ((Invalid) result).message());
            default:
                throw LedgerCalls.unexpected(result);
        }
    }

    /** A warning per placement node left with less than {@value #LOW_REMAINING_PERCENT} % of its capacity. */
    private List<String> nearCapacityWarnings(Admitted admitted) {
        List<String> warnings = new ArrayList<>();
        for (String nodeId : admitted.placements()) {
            Optional<NodeView> node = ledger.gateway().read(views -> views.node(nodeId)).value();
            if (node.isEmpty() || node.get().capacityBytes() <= 0) {
                continue;
            }
            long capacity = node.get().capacityBytes();
            long remaining = admitted.remainingBytes();
            // remaining < 10 % of capacity, in integers: remaining · 100 < capacity · 10
            if (BigInteger.valueOf(remaining).multiply(BigInteger.valueOf(100))
                    .compareTo(BigInteger.valueOf(capacity).multiply(BigInteger.valueOf(LOW_REMAINING_PERCENT))) < 0) {
                warnings.add("memledger: node " + nodeId + " has " + ByteSize.formatApprox(remaining)
                        + " admissible left of " + ByteSize.formatApprox(capacity) + " capacity (below "
                        + LOW_REMAINING_PERCENT + " %) after this pod");
            }
        }
        return warnings;
    }

    // ---- DELETE ------------------------------------------------------------------------------

    /** Releases the pod's deployment; never blocks the deletion (a failure is a warning). */
    private CompletableFuture<ApiResponse> delete(ApiRequest request, JsonNode req, Answer answer, boolean dryRun) {
        JsonNode pod = req.path("oldObject");
        String namespace = namespace(req, pod);
        String name = req.path("name").asText(pod.path("metadata").path("name").asText(""));
        String deploymentId = deploymentId(namespace, name);
        if (dryRun || !Identifiers.isValid(deploymentId)) {
            return answer.allow("memledger: dry run, " + deploymentId + " stays reserved")
                    .respond(ledger.appliedIndex());
        }
        return ledger.submit(request, new Release(deploymentId)).handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                answer.warn("memledger could not release " + deploymentId + " (" + cause.getMessage()
                        + "); release it with: memledger release " + deploymentId);
                return answer.allow("memledger: pod deletion allowed; release failed").respond(ledger.appliedIndex())
                        .join();
            }
            if (result.kind() == ResultKind.RELEASED) {
                return answer.allow("memledger released " + deploymentId).respond(ledger.appliedIndex()).join();
            }
            return answer.allow("memledger: " + deploymentId + " was not reserved; nothing to release")
                    .respond(ledger.appliedIndex()).join();
        });
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static String namespace(JsonNode req, JsonNode pod) {
        String namespace = req.path("namespace").asText("");
        if (namespace.isEmpty()) {
            namespace = pod.path("metadata").path("namespace").asText("");
        }
        if (!Identifiers.isValid(namespace)) {
            throw ApiError.invalid("request.namespace", Identifiers.explain("request.namespace", namespace));
        }
        return namespace;
    }

    /**
     * {@code <namespace>.<name>}; when longer than an id may be, the first 111 characters, a dash and
     * 16 hex digits of SHA-256 over {@code <namespace>/<name>} (deterministic, so DELETE finds it).
     */
    static String deploymentId(String namespace, String name) {
        String id = namespace + "." + name;
        if (id.length() <= Identifiers.MAX_LENGTH) {
            return id;
        }
        String hash = sha256Hex(namespace + "/" + name).substring(0, HASH_HEX_LENGTH);
        return id.substring(0, Identifiers.MAX_LENGTH - HASH_HEX_LENGTH - 1) + "-" + hash;
    }

    private static int priority(JsonNode spec) {
        JsonNode priority = spec.path("priority");
        if (!priority.canConvertToLong()) {
            return 0;
        }
        long value = priority.asLong();
        return (int) Math.max(-CommandValidator.MAX_PRIORITY, Math.min(CommandValidator.MAX_PRIORITY, value));
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A pod spec that cannot be sized; the message names the container and field. */
    static final class PodSpecException extends Exception {
        PodSpecException(String message) {
            super(message, null, false, false);
        }
    }

    /** The memory a pod needs, summed from its containers (see the class comment for the rule). */
    static final class PodMemory {
        final long minBytes;
        final long firmBytes;

        private PodMemory(long minBytes, long firmBytes) {
            this.minBytes = minBytes;
            this.firmBytes = firmBytes;
        }

        static PodMemory of(JsonNode spec, long defaultFirm) throws PodSpecException {
            JsonNode containers = spec.path("containers");
            if (!containers.isArray() || containers.isEmpty()) {
                throw new PodSpecException("spec.containers must list at least one container");
            }
            long min = 0;
            long firm = 0;
            for (int i = 0; i < containers.size(); i++) {
                long[] c = container(containers.get(i), "spec.containers[" + i + "]", defaultFirm);
                min = add(min, c[0]);
                firm = add(firm, c[1]);
            }
            long initMin = 0;
            long initFirm = 0;
            JsonNode inits = spec.path("initContainers");
            for (int i = 0; i < inits.size(); i++) {
                JsonNode init = inits.get(i);
                long[] c = container(init, "spec.initContainers[" + i + "]", defaultFirm);
                if ("Always".equals(init.path("restartPolicy").asText())) {
                    min = add(min, c[0]); // a sidecar runs alongside the app containers
                    firm = add(firm, c[1]);
                } else {
                    initMin = Math.max(initMin, c[0]);
                    initFirm = Math.max(initFirm, c[1]);
                }
            }
            min = Math.max(min, initMin);
            firm = Math.max(firm, initFirm);
            JsonNode overhead = spec.path("overhead").path("memory");
            if (!overhead.isMissingNode() && !overhead.isNull()) {
                long bytes = quantity(overhead, "spec.overhead.memory");
                min = add(min, bytes);
                firm = add(firm, bytes);
            }
            return new PodMemory(min, firm);
        }

        /** {min, firm} of one container. */
        private static long[] container(JsonNode container, String where, long defaultFirm) throws PodSpecException {
            String name = container.path("name").asText("");
            String label = where + (name.isEmpty() ? "" : " (" + name + ")");
            JsonNode resources = container.path("resources");
            JsonNode request = resources.path("requests").path("memory");
            JsonNode limit = resources.path("limits").path("memory");
            Long requested = present(request) ? quantity(request, label + ".resources.requests.memory") : null;
            Long limited = present(limit) ? quantity(limit, label + ".resources.limits.memory") : null;
            long firm = limited != null ? limited : Math.max(defaultFirm, requested == null ? 0 : requested);
            long min = requested != null ? requested : firm;
            if (min > firm) {
                throw new PodSpecException(label + ": memory request (" + min + ") exceeds its limit (" + firm + ")");
            }
            return new long[] {min, firm};
        }

        private static boolean present(JsonNode node) {
            return !node.isMissingNode() && !node.isNull();
        }

        private static long quantity(JsonNode node, String field) throws PodSpecException {
            if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
                return node.asLong();
            }
            if (!node.isTextual()) {
                throw new PodSpecException(field + ": expected a quantity such as 512Mi, got " + node.getNodeType());
            }
            try {
                return ByteSize.parse(field, node.asText());
            } catch (ByteSizeException e) {
                throw new PodSpecException(e.getMessage());
            }
        }

        private static long add(long a, long b) throws PodSpecException {
            try {
                return Math.addExact(a, b);
            } catch (ArithmeticException e) {
                throw new PodSpecException("the pod's memory adds up to more than " + Long.MAX_VALUE + " bytes");
            }
        }
    }

    /** The AdmissionReview response being built. */
    private static final class Answer {
        private final String uid;
        private final List<String> warnings = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private boolean allowed;
        private int code;
        private String message;

        Answer(String uid) {
            this.uid = uid;
        }

        Answer allow(String why) {
            allowed = true;
            code = 200;
            message = why;
            return this;
        }

        Answer deny(int statusCode, String why) {
            allowed = false;
            code = statusCode;
            message = why;
            return this;
        }

        Answer warn(String warning) {
            warnings.add(warning);
            return this;
        }

        Answer note(String text) {
            notes.add(text);
            return this;
        }

        CompletableFuture<ApiResponse> respond(long ledgerIndex) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("code", code);
            status.put("message", notes.isEmpty() ? message : message + " (" + String.join("; ", notes) + ")");
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("uid", uid);
            response.put("allowed", allowed);
            response.put("status", status);
            if (!warnings.isEmpty()) {
                response.put("warnings", List.copyOf(warnings));
            }
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("apiVersion", API_VERSION);
            review.put("kind", KIND);
            review.put("response", response);
            return CompletableFuture.completedFuture(ApiResponse.ok(review, ledgerIndex));
        }
    }
}
