package org.memledger.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import org.memledger.coordinator.api.BearerAuth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memledger token}: make API tokens and the hashes a tokens file holds. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Make bearer tokens for the API and the SHA-256 hashes its tokens file holds.",
    subcommands = {TokenCommand.Hash.class, TokenCommand.New.class},
    footerHeading = "%nExample:%n",
    footer = {
        "  memledger token new --role client --scope alice >> tokens",
        "  memledger token new --role operator --scope 'n1,rack-a-*' >> tokens",
        "  printf %%s \"$TOKEN\" | memledger token hash",
        "",
        "'new' prints the tokens-file line on stdout and the token itself on stderr."})
final class TokenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code memledger token hash [TOKEN]}: the SHA-256 hex of a token (read from stdin when not given). */
  @Command(name = "hash", mixinStandardHelpOptions = true,
      description = "Print the SHA-256 hex of a token (from the argument, else the first line of stdin).")
  static final class Hash implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TOKEN", description = "the token (default: stdin)")
    String token;

    @Override
    public Integer call() throws IOException {
      String value = token;
      if (value == null) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        value = in.readLine();
      }
      if (value == null || value.isBlank()) {
        spec.commandLine().getErr().println("memledger: no token given");
        return 1;
      }
      spec.commandLine().getOut().println(BearerAuth.sha256Hex(value.strip()));
      return 0;
    }
  }

  /**
   * {@code memledger token new}: a random 256-bit token. The tokens-file line goes to stdout (so it
   * can be appended to the file) and the token itself to stderr, to hand to its user.
   */
  @Command(name = "new", mixinStandardHelpOptions = true,
      description = "Make a random token: its tokens-file line on stdout, the token itself on stderr.")
  static final class New implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator, client or viewer")
    String role;

    @Option(names = "--scope", paramLabel = "SCOPE",
        description = "a client's owner, or an operator's node ids and globs (comma-separated)")
    String scope;

    @Override
    public Integer call() {
      boolean scoped = role.equals("client") || role.equals("operator");
      boolean known = scoped || role.equals("admin") || role.equals("viewer");
      if (!known || scoped != (scope != null)) {
        spec.commandLine().getErr().println("memledger: --role must be admin, operator, client or viewer;"
            + " a client needs --scope OWNER, an operator --scope NODES, the others no scope");
        return 2;
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String token = "mlt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      String line = BearerAuth.sha256Hex(token) + " " + role + (scope == null ? "" : " " + scope);
      spec.commandLine().getOut().println(line);
      spec.commandLine().getErr().println("token (give it to its user; it is not stored): " + token);
      return 0;
    }
  }
}
