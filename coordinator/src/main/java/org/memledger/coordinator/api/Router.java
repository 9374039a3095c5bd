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
 * <p>Matching is a scan over the routes (a few dozen): clarity over cleverness. A path no pattern
 * matches is 404; a path some pattern matches with another method is 405 with the allowed methods.
 */
public final class Router {

    /** One endpoint: its method, pattern, the roles that may call it, and whether it needs a token at all. */
    public record Route(HttpMethod method, String pattern, Set<Role> roles, boolean open, boolean limited,
                        RouteHandler handler) {
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

    /** A route behind authentication, callable by {@code roles}, counted against the in-flight bound. */
    public Router add(HttpMethod method, String pattern, Set<Role> roles, RouteHandler handler) {
        return add(new Route(method, pattern, EnumSet.copyOf(roles), false, true, handler));
    }

    /** A route anyone may call, not counted in flight (health checks must answer when the API is saturated). */
    public Router addOpen(HttpMethod method, String pattern, RouteHandler handler) {
        return add(new Route(method, pattern, EnumSet.allOf(Role.class), true, false, handler));
    }

    private Router add(Route route) {
        for (Route existing : routes) {
            if (existing.method().equals(route.method()) && existing.pattern().equals(route.pattern())) {
                throw new IllegalArgumentException("route registered twice: " + route.method() + " " + route.pattern());
            }
        }
        routes.add(route);
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Match match(HttpMethod method, String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = bind(route.pattern(), path);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route, params, Set.of(route.method().name()));
            }
            allowed.add(route.method().name());
        }
        return new Match(null, Map.of(), allowed);
    }

    /** The parameters when {@code path} matches {@code pattern}, else null. */
    static Map<String, String> bind(String pattern, String path) {
        String[] want = pattern.split("/", -1);
        String[] have = path.split("/", -1);
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
