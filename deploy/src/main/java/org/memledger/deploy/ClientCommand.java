package org.memledger.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that calls the HTTP API. Exit codes: 0 the call succeeded (admitted, found,
 * released), 2 the ledger rejected the admission (or picocli found a usage error), 1 anything else
 * (unreachable API, error answer), with one line on stderr saying what went wrong.
 */
abstract class ClientCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int ERROR = 1;
  static final int REJECTED = 2;
  static final String EXIT_CODES = "Exit codes: 0 ok (admitted), 2 rejected (or a usage error), 1 error.";

  @Mixin
  ApiClientOptions options;

  @Spec
  CommandSpec spec;

  /** Calls the API and prints; returns the exit code. */
  abstract int run(ApiClient client) throws ApiClient.Failure;

  @Override
  public final Integer call() {
    try {
      return run(options.client());
    } catch (ApiClient.Failure e) {
      err().println("memledger: " + e.getMessage());
      return ERROR;
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Prints an answer that is not the expected success: the raw body with --json (stdout, so
   * scripts can parse it), else the error's code and message on stderr. Returns {@link #ERROR}.
   */
  int failed(ApiClient.Reply reply) {
    if (options.json) {
      out().println(reply.body());
    } else {
      err().println("memledger: " + reply.status() + " " + reply.errorCode() + ": " + reply.errorMessage());
    }
    return ERROR;
  }

  /** With --json, prints the body and returns true: the caller prints nothing else. */
  boolean printedRaw(ApiClient.Reply reply) {
    if (options.json) {
      out().println(reply.body());
      return true;
    }
    return false;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }
}
