package org.memledger.nodeagent;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import org.memledger.nodeagent.memory.MemoryReadException;
import org.memledger.nodeagent.memory.MemoryReading;
import org.memledger.nodeagent.memory.MemorySource;
import org.memledger.nodeagent.memory.MemorySourceOption;
import org.memledger.nodeagent.memory.MemorySources;
import org.memledger.nodeagent.memory.SystemPaths;
import org.memledger.protocol.ByteSize;
import org.memledger.protocol.Identifiers;
import org.memledger.protocol.Policy;
import org.memledger.protocol.ReportNode;

/**
 * {@code memledger agent}: runs the node agent, or with {@code --once} measures once and either
 * prints the measurement ({@code --print}, no coordinator needed) or registers and sends one
 * report. Status lines go to standard error, each with a UTC timestamp; printed measurements go
 * to standard output. Errors are one line on standard error and exit status 1.
 *
 * <p>Meant to be a subcommand of the {@code memledger} launcher; {@link #commandLine} gives the
 * same one-line error handling when it runs on its own ({@link #main}).
 */
@Command(name = "agent", sortOptions = false, usageHelpAutoWidth = true,
        description = "Reports this node's declared and measured memory to the memledger coordinators: "
                + "registers the node, then reports every interval and at once when memory moves.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  memledger agent --node-id n1 --declare 48GiB --zone z1 \\",
            "      --coordinators http://10.0.0.1:7070,http://10.0.0.2:7070",
            "  memledger agent --once --print      # what would be reported; no coordinator",
            "  memledger agent --once --print --json --memory-source static:16GiB,10GiB",
            "",
            "Memory: auto measures the limited cgroup v2 the agent runs in, else",
            "/proc/meminfo. Failover, backoff and formulas: docs/agent.md."})
public final class AgentCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String PREFIX = "memledger agent: ";

    @Spec
    private CommandSpec spec;

    @Option(names = "--node-id", paramLabel = "ID", description = "Node id (default: this host's name).")
    private String nodeId;

    @Option(names = "--coordinators", paramLabel = "URL", split = ",", defaultValue = "http://127.0.0.1:7070",
            converter = CoordinatorConverter.class,
            description = "Coordinator URLs, comma-separated, tried in order with failover (default: ${DEFAULT-VALUE}).")
    private List<URI> coordinators;

    @Option(names = "--declare", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Memory this node offers to the cluster, e.g. 48GiB. Required unless --once only measures.")
    private Long declaredBytes;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = AgentConfig.DEFAULT_ZONE,
            description = "Failure zone (default: ${DEFAULT-VALUE}).")
    private String zone;

    @Option(names = "--operator", paramLabel = "OPERATOR", defaultValue = AgentConfig.DEFAULT_OPERATOR,
            description = "Operator account credited with rent for this node's bytes (default: ${DEFAULT-VALUE}).")
    private String operator;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A node label; repeatable.")
    private Map<String, String> labels;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Report interval, jittered by 10%%, e.g. 500ms, 5s, 1m (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(names = "--change-threshold", paramLabel = "PCT", defaultValue = "2",
            description = "Report at once when memory moves by more than this percentage (default: ${DEFAULT-VALUE}).")
    private int changeThresholdPct;

    @Option(names = "--memory-source", paramLabel = "SOURCE", defaultValue = "auto", converter = SourceConverter.class,
            description = "auto, cgroup, meminfo, or static:PHYSICAL,AVAILABLE (e.g. static:16GiB,10GiB) "
                    + "(default: auto).")
    private MemorySourceOption memorySource;

    @Option(names = "--cgroup-root", paramLabel = "PATH",
            description = "Parent cgroup of per-deployment cgroups named after deployment ids.")
    private Path cgroupRoot;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MEMLEDGER_TOKEN}",
            description = "Bearer token (default: $MEMLEDGER_TOKEN, which keeps it out of the process list).")
    private String token;

    @Option(names = "--once", description = "Measure once; with --declare register and send one report, "
            + "else print the measurement; then exit.")
    private boolean once;

    @Option(names = "--print", description = "With --once: print the measurement instead of reporting it.")
    private boolean print;

    @Option(names = "--json", description = "With --print: print JSON with the report's field names.")
    private boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final SystemPaths paths;
    private final AgentTime time;
    private final Supplier<String> hostName;

    /** The command on the real machine. */
    public AgentCommand() {
        this(SystemPaths.defaults(), AgentTime.system(), AgentCommand::localHostName);
    }

    /** The command with injected kernel paths, clocks and host name (tests). */
    AgentCommand(SystemPaths paths, AgentTime time, Supplier<String> hostName) {
        this.paths = Objects.requireNonNull(paths, "paths");
        this.time = Objects.requireNonNull(time, "time");
        this.hostName = Objects.requireNonNull(hostName, "hostName");
    }

    /** Runs {@code memledger agent} on its own; see {@link #commandLine}. */
    public static void main(String[] args) {
        System.exit(commandLine(new AgentCommand()).execute(args));
    }

    /** A command line whose errors, in parsing or running, are one line and exit status 1. */
    public static CommandLine commandLine(AgentCommand command) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(PREFIX + e.getMessage());
            return 1;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(PREFIX + e);
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            boolean measureOnly = print || (once && declaredBytes == null);
            checkCombination(measureOnly);
            String node = nodeId != null ? nodeId : hostName.get();
            if (!Identifiers.isValid(node)) {
                throw new IllegalArgumentException(Identifiers.explain(nodeId != null ? "--node-id" : "host name", node)
                        + (nodeId != null ? "" : "; pass --node-id"));
            }
            MemorySource source = MemorySources.open(memorySource, paths, Optional.ofNullable(cgroupRoot));
            if (measureOnly) {
                printMeasurement(out, err, node, source);
                return 0;
            }
            NodeAgent agent = new NodeAgent(config(node), source, statusLines(err), time, new SplittableRandom());
            return once ? reportOnce(agent, out) : runUntilStopped(agent);
        } catch (MemoryReadException | IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(PREFIX + "interrupted");
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private void checkCombination(boolean measureOnly) {
        if (print && !once) {
            throw new IllegalArgumentException("--print needs --once");
        }
        if (json && !measureOnly) {
            throw new IllegalArgumentException("--json needs --print");
        }
        if (!measureOnly && declaredBytes == null) {
            throw new IllegalArgumentException("--declare SIZE is required, e.g. --declare 48GiB");
        }
    }

    private AgentConfig config(String node) {
        return AgentConfig.builder(node, declaredBytes)
                .operator(operator)
                .zone(zone)
                .labels(labels == null ? Map.of() : labels)
                .coordinators(coordinators)
                .token(token == null || token.isEmpty() ? null : token)
                .intervalMillis(interval.toMillis())
                .changeThresholdPct(changeThresholdPct)
                .build();
    }

    private Consumer<String> statusLines(PrintWriter err) {
        return line -> {
            err.println(TIMESTAMP.format(Instant.ofEpochMilli(time.wallMillis())) + " " + PREFIX + line);
            err.flush();
        };
    }

    private static int reportOnce(NodeAgent agent, PrintWriter out) throws InterruptedException {
        Optional<ReportNode> report = agent.reportOnce();
        report.ifPresent(r -> out.println("reported node " + r.nodeId() + ": seq " + r.seq() + ", physical "
                + ByteSize.formatApprox(r.physicalBytes()) + ", available " + ByteSize.formatApprox(r.availableBytes())
                + ", " + r.deploymentUsage().size() + " deployments"));
        return report.isPresent() ? 0 : 1;
    }

    private static int runUntilStopped(NodeAgent agent) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "memledger-agent-shutdown"));
        agent.start();
        agent.awaitStopped();
        return 0;
    }

    private void printMeasurement(PrintWriter out, PrintWriter err, String node, MemorySource source)
            throws MemoryReadException {
        MemoryReading reading = source.read();
        SystemReserve reserve = SystemReserve.of(Policy.defaults());
        if (declaredBytes != null) {
            String warning = reserve.warning(declaredBytes, reading.physicalBytes());
            if (warning != null) {
                err.println(PREFIX + "warning: " + warning + " (default policy)");
            }
        }
        if (json) {
            out.println(new AgentJson().measurement(node, source.describe(), declaredBytes, reading));
            return;
        }
        row(out, "node", node);
        row(out, "source", source.describe());
        row(out, "physical", size(reading.physicalBytes()));
        row(out, "available", size(reading.availableBytes()));
        if (declaredBytes != null) {
            row(out, "declared", size(declaredBytes));
            row(out, "capacity", size(reserve.capacityFor(declaredBytes, reading.physicalBytes()))
                    + " under the default policy");
        }
        row(out, "deployments", reading.deploymentUsage().isEmpty() ? "none" : reading.deploymentUsage().size() + "");
        reading.deploymentUsage().forEach((id, bytes) -> row(out, "  " + id, size(bytes)));
    }

    private static void row(PrintWriter out, String name, String value) {
        out.println(String.format("%-14s %s", name, value));
    }

    private static String size(long bytes) {
        return ByteSize.formatApprox(bytes) + " (" + bytes + " bytes)";
    }

    /** The host's name, from the resolver or else {@code /etc/hostname}. */
    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            try {
                return Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
            } catch (IOException again) {
                throw new IllegalArgumentException("cannot tell this host's name (" + e.getMessage() + "); pass --node-id",
                        again);
            }
        }
    }

    /** Picocli wants a converter class per type; each hands its parser to {@link #convert}. */
    static final class CoordinatorConverter implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            return AgentCommand.convert(AgentConfig::parseCoordinator, value);
        }
    }

    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return AgentCommand.convert(ByteSize::parse, value);
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return AgentCommand.convert(Durations::parse, value);
        }
    }

    static final class SourceConverter implements ITypeConverter<MemorySourceOption> {
        @Override
        public MemorySourceOption convert(String value) {
            return AgentCommand.convert(MemorySourceOption::parse, value);
        }
    }

    /** Parses, turning the parser's message into picocli's "Invalid value for option" error. */
    private static <T> T convert(Function<String, T> parser, String value) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
