/**
 * The JSON form of the protocol (DESIGN §5): request and response bodies of the HTTP API as
 * records, and the two {@link org.memledger.protocol.json.Json Json} mappers that read and write
 * them.
 *
 * <p>The server and the command-line client share these types, so a field name is spelled in one
 * place. The server reads requests with {@link org.memledger.protocol.json.Json#strict()}: unknown
 * fields, wrong types (a string where a number belongs, a float where an integer belongs), numbers
 * out of range and duplicate keys are refused, so what reaches the log is exactly what the client
 * meant. Clients read responses with {@link org.memledger.protocol.json.Json#lenient()}, because
 * the contract lets the server add fields.
 *
 * <p>Request records use boxed types: a missing field is {@code null}, and the record's
 * {@code toCommand} names it in the error rather than letting a silent zero through. Sizes are
 * whole bytes; times are ISO-8601 UTC strings with milliseconds ({@link org.memledger.protocol.json.Times}).
 */
package org.memledger.protocol.json;
