package org.memledger.coordinator.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.memledger.protocol.Identifiers;
import org.memledger.protocol.json.Json;

/**
 * Bearer-token authentication from a tokens file that holds only SHA-256 hashes of the tokens, so
 * the file is not a secret worth stealing. A request's token is hashed and looked up; the token
 * itself is never stored or logged.
 *
 * <p>Two file formats (docs/api.md): JSON
 * <pre>{"tokens":[{"sha256":"9f86…","role":"client","owner":"alice","name":"alice-ci"},
 *            {"sha256":"2c26…","role":"operator","nodes":["n1","rack-a-*"]}]}</pre>
 * chosen when the first non-blank character is <code>{</code>, else one token per line:
 * <pre># sha256-hex   role      scope
 *9f86…  client    alice
 *2c26…  operator  n1,rack-a-*
 *fcde…  admin</pre>
 * A client's scope is one owner id; an operator's a comma-separated list of node ids or globs;
 * admin and viewer take none. Any mistake in the file is an error naming the line or entry: a
 * server must not start with a half-read token list.
 */
public final class BearerAuth {
    static final String CHALLENGE = "Bearer realm=\"memledger\"";
    static final String INVALID_TOKEN_CHALLENGE = CHALLENGE + ", error=\"invalid_token\"";
    private static final int SHA256_HEX_LENGTH = 64;
    /** Longer bearer tokens are refused unhashed: a token is a short random string. */
    private static final int MAX_TOKEN_LENGTH = 512;

    private final Map<String, Principal> byHash;
    private final boolean enabled;

    private BearerAuth(Map<String, Principal> byHash, boolean enabled) {
        this.byHash = Collections.unmodifiableMap(byHash);
        this.enabled = enabled;
    }

    /** No tokens: every caller is an administrator. The server allows this on loopback only. */
    public static BearerAuth disabled() {
        return new BearerAuth(new TreeMap<>(), false);
    }

    /** Tokens given as SHA-256 hex hash → principal (for embedding and tests). */
    public static BearerAuth of(Map<String, Principal> principalsByHash) {
        Map<String, Principal> copy = new TreeMap<>();
        principalsByHash.forEach((hash, principal) -> copy.put(normalizeHash(hash, "token hash"), principal));
        return new BearerAuth(copy, true);
    }

    /** Reads a tokens file in either format; throws {@link IllegalArgumentException} naming what is wrong. */
    public static BearerAuth load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static BearerAuth parse(String text) {
        Map<String, Principal> tokens = text.strip().startsWith("{") ? parseJson(text) : parseLines(text);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the tokens file lists no tokens");
        }
        return new BearerAuth(tokens, true);
    }

    /** SHA-256 of the token's UTF-8 bytes, lower-case hex: what a tokens file stores. */
    public static String sha256Hex(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public int tokenCount() {
        return byHash.size();
    }

    /**
     * The caller named by an {@code Authorization} header value.
     *
     * @throws ApiError 401 {@code UNAUTHENTICATED} with a {@code WWW-Authenticate} challenge
     */
    Principal authenticate(String authorization) {
        if (!enabled) {
            return Principal.unauthenticatedAdmin();
        }
        if (authorization == null || authorization.isBlank()) {
            throw unauthenticated("a bearer token is required (Authorization: Bearer <token>)", CHALLENGE);
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw unauthenticated("the Authorization header must use the Bearer scheme", CHALLENGE);
        }
        String token = value.substring(space + 1).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw unauthenticated("the bearer token is empty or too long", INVALID_TOKEN_CHALLENGE);
        }
        Principal principal = byHash.get(sha256Hex(token));
        if (principal == null) {
            throw unauthenticated("the bearer token is not known to this server", INVALID_TOKEN_CHALLENGE);
        }
        return principal;
    }

    private static ApiError unauthenticated(String message, String challenge) {
        return new ApiError(ApiError.Code.UNAUTHENTICATED, message, "Authorization")
                .withHeader("WWW-Authenticate", challenge);
    }

    // ---- file parsing --------------------------------------------------------------------------

    /** The JSON form; strict: unknown fields and wrong types are errors. */
    private record TokenFile(List<Entry> tokens) {
    }

    private record Entry(String sha256, String role, String owner, List<String> nodes, String name) {
    }

    private static Map<String, Principal> parseJson(String text) {
        ObjectMapper mapper = Json.strict();
        TokenFile file;
        try {
            file = mapper.readValue(text, TokenFile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid tokens file: " + e.getOriginalMessage(), e);
        }
        if (file == null || file.tokens() == null) {
            throw new IllegalArgumentException("expected {\"tokens\":[...]}");
        }
        Map<String, Principal> tokens = new TreeMap<>();
        for (int i = 0; i < file.tokens().size(); i++) {
            Entry entry = file.tokens().get(i);
            String where = "tokens[" + i + "]";
            if (entry == null) {
                throw new IllegalArgumentException(where + ": expected an object");
            }
            String name = entry.name() != null ? entry.name() : where;
            Role role = role(entry.role(), where);
            List<String> scope = new ArrayList<>();
            if (entry.owner() != null) {
                scope.add(entry.owner());
            }
            if (entry.nodes() != null) {
                scope.addAll(entry.nodes());
            }
            add(tokens, normalizeHash(entry.sha256(), where), principal(name, role, scope, where,
                    entry.owner() != null && role == Role.OPERATOR, entry.nodes() != null && role == Role.CLIENT));
        }
        return tokens;
    }

    private static Map<String, Principal> parseLines(String text) {
        Map<String, Principal> tokens = new TreeMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int comment = line.indexOf('#');
            if (comment >= 0) {
                line = line.substring(0, comment);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + (i + 1);
            String[] words = line.split("\\s+");
            if (words.length < 2 || words.length > 3) {
                throw new IllegalArgumentException(where + ": expected '<sha256-hex> <role> [scope]'");
            }
            Role role = role(words[1], where);
            List<String> scope = words.length == 3 ? List.of(words[2].split(",", -1)) : List.of();
            add(tokens, normalizeHash(words[0], where), principal(where, role, scope, where, false, false));
        }
        return tokens;
    }

    private static Principal principal(String name, Role role, List<String> scope, String where,
                                       boolean ownerOnOperator, boolean nodesOnClient) {
        if (ownerOnOperator || nodesOnClient) {
            throw new IllegalArgumentException(where + ": a client takes \"owner\", an operator \"nodes\"");
        }
        switch (role) {
            case CLIENT:
                if (scope.size() != 1 || !Identifiers.isValid(scope.get(0))) {
                    throw new IllegalArgumentException(where + ": a client token needs exactly one owner id as scope");
                }
                return new Principal(name, role, scope.get(0), List.of());
            case OPERATOR:
                if (scope.isEmpty()) {
                    throw new IllegalArgumentException(where + ": an operator token needs node ids or globs as scope");
                }
                for (String pattern : scope) {
                    if (!Identifiers.isValid(pattern.replace('*', 'x').replace('?', 'x'))) {
                        throw new IllegalArgumentException(where + ": '" + pattern + "' is not a node id or glob");
                    }
                }
                return new Principal(name, role, null, scope);
            case ADMIN:
            case VIEWER:
            default:
                if (!scope.isEmpty()) {
                    throw new IllegalArgumentException(where + ": an " + role.label() + " token takes no scope");
                }
                return new Principal(name, role, null, List.of());
        }
    }

    private static Role role(String text, String where) {
        Role role = text == null ? null : Role.parse(text);
        if (role == null) {
            throw new IllegalArgumentException(where + ": role must be admin, operator, client or viewer, was '"
                    + text + "'");
        }
        return role;
    }

    private static String normalizeHash(String hash, String where) {
        String hex = hash == null ? "" : hash.toLowerCase(Locale.ROOT);
        if (hex.length() != SHA256_HEX_LENGTH || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(where + ": expected the token's SHA-256 as 64 hex digits"
                    + " (memledger token hash), not the token itself");
        }
        return hex;
    }

    private static void add(Map<String, Principal> tokens, String hash, Principal principal) {
        if (tokens.putIfAbsent(hash, principal) != null) {
            throw new IllegalArgumentException("the same token hash is listed twice (" + hash.substring(0, 12) + "…)");
        }
    }
}
