/**
 * The HTTP API of a replica (DESIGN §5): Netty's HTTP codec, Jackson through the protocol's
 * mappers, and nothing between a request and the ledger but checks.
 *
 * <h2>The seam</h2>
 * Everything here talks to the ledger through {@link org.memledger.coordinator.api.LedgerGateway}:
 * submit a command through the log, read the applied state (locally, or linearizably), dry-run an
 * admission, describe the replica. The Raft replica implements it; so does
 * {@link org.memledger.coordinator.api.EmbeddedLedgerGateway}, a single in-process ledger that is
 * both the one-process production mode and what the API tests run against. The API never decides
 * anything the ledger decides: it refuses what is malformed, unauthorised or out of time, and
 * translates the ledger's answers.
 *
 * <h2>A request's way through</h2>
 * {@link org.memledger.coordinator.api.HttpApiServer} builds the routes, and
 * {@link org.memledger.coordinator.api.ConnectionPipeline} each connection's pipeline (TLS with ALPN,
 * idle timer, then HTTP/1.1 or HTTP/2). Over HTTP/1.1,
 * {@link org.memledger.coordinator.api.ApiChannelHandler}, one per connection on its event loop,
 * copies each request out of Netty's buffers and answers strictly in arrival order; over HTTP/2,
 * {@link org.memledger.coordinator.api.Http2Requests} assembles each stream's request and answers
 * streams in any order. {@link org.memledger.coordinator.api.ApiDispatcher} routes
 * ({@link org.memledger.coordinator.api.Router}: 404, 405 with {@code Allow}), fixes the deadline
 * ({@link org.memledger.coordinator.api.RequestDeadline}), takes an in-flight slot (429 beyond the
 * bound), and runs the rest on the event loop for a light route with a small body, else on a
 * handler thread: the bearer token
 * ({@link org.memledger.coordinator.api.BearerAuth}, 401), the route's roles (403), then the
 * route family's handler ({@code DeploymentRoutes}, {@code NodeRoutes}, {@code PolicyRoutes},
 * {@code StatusRoutes}, {@code KubernetesAdmission}). Handlers parse bodies with
 * {@link org.memledger.coordinator.api.JsonBodies} (strict: unknown fields, wrong types, overflow
 * are 400s naming the field), run {@code CommandValidator}, and only then submit.
 *
 * <h2>Why it is shaped so</h2>
 * <ul>
 * <li><b>Malformed input never reaches the log</b> (DESIGN §8.6). Every shape check happens before
 *     {@code submit}; {@code BadRequestTableTest} holds the state hash and applied index still
 *     across a table of bad requests.</li>
 * <li><b>No thread waits for the log.</b> A write returns the gateway's future; the answer is
 *     written from its completion, back on the connection's event loop. Event loops never wait
 *     for the log; handler threads only parse, check and read. A light route (admit, release,
 *     report, register, point reads) with a small body is parsed, checked and submitted on the
 *     event loop, and its answer rendered there straight from the gateway's completion: no thread
 *     hand-off in the API at all.</li>
 * <li><b>Every request has a deadline</b>, and what is left of it is the gateway's timeout. A timer
 *     on the event loop answers 504 at the deadline even if the gateway never completes, so a
 *     client is never kept past the time it gave.</li>
 * <li><b>A limit on everything</b>: body size (413), request line and headers (414, 431),
 *     requests in flight (429 + {@code Retry-After}), pipelined requests per connection, page
 *     sizes, deadline length, idle connections. Beyond a limit work is refused, never queued.</li>
 * <li><b>Answers are exactly once and in order.</b> Handler, failure and deadline timer race to
 *     answer; the first wins, releases the in-flight slot and cancels the timer.</li>
 * <li><b>Tenants do not see each other.</b> A client token acts for one owner; another owner's
 *     deployment answers 404 exactly like a missing one.</li>
 * <li><b>Open only on loopback.</b> Without a tokens file every caller is an administrator, so the
 *     server refuses any address but loopback and says so when it starts.</li>
 * </ul>
 *
 * <p>docs/api.md is the reference (endpoints, errors, roles, deadlines, the webhook);
 * docs/openapi.yaml the schema, kept true by {@code OpenApiContractTest}.
 */
package org.memledger.coordinator.api;
