package org.memledger.coordinator.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Method + path pattern → handler, and which roles may call it. Patterns are {@code /}-separated
 * segments: a literal ({@code v1}), a parameter ({@code {id}}), or a parameter with an action
 * suffix ({@code {id}:drain}); a literal may carry an action too ({@code deployments:check}).
 * A parameter never matches a segment containing {@code :}, since ids cannot contain one: so
 * {@code GET /v1/nodes/n1:drain} is the drain route with the wrong method (405), not node
 * {@code n1:drain}.
 *
 * <p>Matching is a scan over the routes (a few dozen): clarity over cleverness, but the patterns
 * are split into segments once, when added, and the path once per request. A path no pattern
 * matches is 404; a path some pattern matches with another method is 405 with the allowed methods.
 *
 * <p>A route is <em>light</em> when its handler parses a small body, makes one non-blocking
 * gateway call and then does no more than a point read (one deployment, one node, the applied
 * index) and a small answer. A light route with a body of at most
 * {@link ApiDispatcher#INLINE_BODY_BYTES} runs whole on the connection's event loop, and its
 * answer is rendered and written there at once: no thread hand-off between reading the request and
 * queueing the command, nor between the command's result and the answer. The whole of any other
 * route (lists, capacity, exports, policy) runs on the handler threads.
 */
public final class Router {

    /** One endpoint: its method, pattern, the roles that may call it, and whether it needs a token at all. */
    public record Route(HttpMethod method, String pattern, Set<Role> roles, boolean open, boolean limited,
                        boolean light, RouteHandler handler) {
    }

    /** The outcome of matching a request line. */
    public record Match(Route route, Map<String, String> params, Set<String> allowed) {
        public boolean found() {
            return route != null;
        }

        public boolean pathKnown() {
            return !allowed.isEmpty();
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final List<String[]> segments = new ArrayList<>();

    /** A route behind authentication, callable by {@code roles}, counted against the in-flight bound. */
    public Router add(HttpMethod method, String pattern, Set<Role> roles, RouteHandler handler) {
        return add(new Route(method, pattern, EnumSet.copyOf(roles), false, true, false, handler));
    }

    /**
     * Like {@link #add}, for a light route: it runs on the connection's event loop, so it must never
     * block and must do no more than point reads (see the class comment).
     */
    public Router addLight(HttpMethod method, String pattern, Set<Role> roles, RouteHandler handler) {
        return add(new Route(method, pattern, EnumSet.copyOf(roles), false, true, true, handler));
    }

    /** A route anyone may call, not counted in flight (health checks must answer when the API is saturated). */
    public Router addOpen(HttpMethod method, String pattern, RouteHandler handler) {
        return add(new Route(method, pattern, EnumSet.allOf(Role.class), true, false, false, handler));
    }

    private Router add(Route route) {
        for (Route existing : routes) {
            if (existing.method().equals(route.method()) && existing.pattern().equals(route.pattern())) {
                throw new IllegalArgumentException("route registered twice: " + route.method() + " " + route.pattern());
            }
        }
        routes.add(route);
        segments.add(route.pattern().split("/", -1));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Match match(HttpMethod method, String path) {
        String[] have = path.split("/", -1);
        Set<String> allowed = null;
        for (int r = 0; r < routes.size(); r++) {
            Route route = routes.get(r);
            Map<String, String> params = bind(segments.get(r), have);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route, params, Set.of(route.method().name()));
            }
            if (allowed == null) {
                allowed = new TreeSet<>();
            }
            allowed.add(route.method().name());
        }
        return new Match(null, Map.of(), allowed == null ? Set.of() : allowed);
    }

    /** The parameters when the path's segments {@code have} match the pattern's {@code want}, else null. */
    private static Map<String, String> bind(String[] want, String[] have) {
        if (want.length != have.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (!bindSegment(want[i], have[i], params)) {
                return null;
            }
        }
        return params;
    }

    private static boolean bindSegment(String want, String have, Map<String, String> params) {
        if (!want.startsWith("{")) {
            return want.equals(have);
        }
        int close = want.indexOf('}');
        String name = want.substring(1, close);
        String action = want.substring(close + 1);
        if (!have.endsWith(action)) {
            return false;
        }
        String value = have.substring(0, have.length() - action.length());
        if (value.isEmpty() || value.indexOf(':') >= 0) {
            return false;
        }
        params.put(name, value);
        return true;
    }
}
