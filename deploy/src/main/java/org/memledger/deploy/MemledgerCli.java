package org.memledger.deploy;

import java.util.concurrent.Callable;

import org.memledger.coordinator.raft.CommonPoolParallelism;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code memledger} binary: one jar, many subcommands (like {@code nomad} or {@code etcd}).
 *
 * <p>This class only wires subcommands together; each subcommand is its own class and owns its
 * options, so adding one is a single entry in {@code subcommands} below (and a line in the footer
 * until it lands). Running {@code memledger} without a subcommand is a usage error, not a no-op.
 *
 * <p>Exit codes are picocli's: 0 success, 1 an exception escaped a command, 2 a usage error.
 * {@link #main} is the only place that calls {@link System#exit}; tests go through
 * {@link #commandLine()} and {@link CommandLine#execute}.
 */
@Command(
    name = "memledger",
    mixinStandardHelpOptions = true,
    versionProvider = MemledgerVersion.class,
    description = "Raft-replicated cluster memory ledger: every replica agrees on node capacity,"
        + " admits or rejects each deployment identically, raises the same warnings and bills"
        + " the same rent.",
    subcommands = {
        UpCommand.class,
        CoordinatorCommand.class,
        org.memledger.nodeagent.AgentCommand.class,
        AdmitCommand.class,
        CheckCommand.class,
        ReleaseCommand.class,
        GetCommand.class,
        ListCommand.class,
        NodesCommand.class,
        CapacityCommand.class,
        StatusCommand.class,
        TokenCommand.class,
    },
    footerHeading = "%nSubcommands (coming):%n",
    footer = {
        "  simulate      run a scenario against the ledger or an in-process cluster",
        "",
        "Exit codes: 0 success, 1 internal error, 2 usage error.",
    })
public final class MemledgerCli implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    CommonPoolParallelism.ensureAtLeastTwo();
    System.exit(commandLine().execute(args));
  }

  /** A fresh, fully configured command line; tests redirect its output with setOut/setErr. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new MemledgerCli());
    // An operator wants one line saying what went wrong, not a stack trace.
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("memledger " + cmd.getCommandName() + ": " + e.getMessage());
      return 1;
    });
    return commandLine;
  }

  /** Reached only when no subcommand was given: print usage to stderr and exit 2. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
