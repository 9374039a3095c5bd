package org.memledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MemledgerCliTest {

  /** Exit code and both streams of one in-process run. */
  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MemledgerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void helpPrintsUsageAndExitsZero() {
    Run run = run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("Usage: memledger")
        .contains("-h, --help", "-V, --version")
        .contains("Raft-replicated cluster memory ledger")
        .contains("Exit codes:");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void versionPrintsProjectVersionAndExitsZero() {
    String expected = System.getProperty("memledger.expectedVersion");
    assertThat(expected).as("set by surefire from ${project.version}").isNotBlank();

    Run run = run("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().findFirst()).hasValue("memledger " + expected);
    assertThat(run.out()).doesNotContain("${");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void unknownOptionIsUsageErrorNamingTheOption() {
    Run run = run("--no-such-option");

    assertThat(run.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--no-such-option'").contains("Usage: memledger");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void noSubcommandIsUsageError() {
    Run run = run();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required subcommand").contains("Usage: memledger");
  }
}
