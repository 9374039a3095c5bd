package org.memledger.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Prints the figures of a bench run as one table: JMH's CSV result file and the properties written
 * by {@link HeapPerDeployment}, each row with its target where the issue sets one.
 *
 * <p>Arguments: {@code JMH_CSV HEAP_PROPERTIES [CPU_CSV]}; a missing file is reported, not fatal, so
 * the summary still shows what did run. {@code CPU_CSV} holds the benchmarks' own accounting of
 * their measurement iterations (apply-thread CPU time, GC pauses); where a benchmark appears more
 * than once (the file is appended to), its last line counts.
 */
public final class Summary {
    static final double DECISIONS_TARGET = 1_000_000;

    private Summary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("usage: Summary JMH_CSV HEAP_PROPERTIES [CPU_CSV]");
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format("%n==== memledger bench summary (10,000 nodes, 1,000,000 live deployments) ====%n"));
        table.append(String.format("%-26s %-14s %-9s %16s %14s  %s%n", "benchmark", "entry size", "encode",
                "decisions/s", "± (99.9%)", "target"));
        Path csv = Path.of(args[0]);
        if (Files.exists(csv)) {
            for (List<String> row : readCsv(csv)) {
                table.append(jmhRow(row));
            }
        } else {
            table.append("(no JMH results at ").append(csv.toAbsolutePath()).append(")\n");
        }
        Path heap = Path.of(args[1]);
        if (Files.exists(heap)) {
            table.append(heapRow(heap));
        } else {
            table.append("(no heap figures at ").append(heap.toAbsolutePath()).append(")\n");
        }
        table.append("one decision = one applied Admit or one applied Release (an admit+release pair is 2)\n");
        if (args.length == 3 && Files.exists(Path.of(args[2]))) {
            table.append(cpuTable(Path.of(args[2])));
        }
        System.out.print(table);
    }

    private static String jmhRow(List<String> row) {
        String name = row.get(0).substring(row.get(0).lastIndexOf('.') + 1);
        double score = Double.parseDouble(row.get(4));
        String error = row.get(5).equals("NaN") ? "n/a" : String.format("%,.0f", Double.parseDouble(row.get(5)));
        String entry = name.startsWith("batch1000") ? "1,000 cmds" : name.startsWith("allSwap") ? "1 cmd (ALL)"
                : "1 cmd";
        String encode = name.contains("EncodeIncluded") ? "included" : "excluded";
        String target = name.startsWith("batch1000")
                ? String.format(">= %,.0f: %s", DECISIONS_TARGET, score >= DECISIONS_TARGET ? "MET" : "NOT MET")
                : "-";
        return String.format("%-26s %-14s %-9s %,16.0f %14s  %s%n", name, entry, encode, score, error, target);
    }

    private static String heapRow(Path path) throws IOException {
        Properties heap = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            heap.load(reader);
        }
        double perDeployment = Double.parseDouble(heap.getProperty("bytes.per.deployment"));
        long target = Long.parseLong(heap.getProperty("target.bytes.per.deployment"));
        return String.format("%-26s %,.1f bytes per live deployment (%s deployments, JVM %s)  target <= %d: %s%n",
                "heapPerDeployment", perDeployment, heap.getProperty("deployments"), heap.getProperty("jvm.flags"),
                target, perDeployment <= target ? "MET" : "NOT MET");
    }

    /** Decisions per CPU-second of the apply thread, and how much wall time other work took. */
    private static String cpuTable(Path path) throws IOException {
        Map<String, List<String>> last = new TreeMap<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                List<String> fields = splitCsvLine(line);
                last.put(fields.get(0), fields);
            }
        }
        StringBuilder table = new StringBuilder(String.format("%nmeasurement iterations as the apply thread saw them "
                + "(wall time lost to other processes and GC shows here):%n"));
        table.append(String.format("%-26s %18s %14s %10s %24s%n", "benchmark", "decisions/CPU-s", "thread on CPU",
                "GC pauses", "other JVM CPU per apply"));
        for (List<String> row : last.values()) {
            double decisions = Double.parseDouble(row.get(1));
            double cpuSeconds = Double.parseDouble(row.get(2)) / 1e9;
            double wallSeconds = Double.parseDouble(row.get(3)) / 1e9;
            double gcSeconds = Double.parseDouble(row.get(4)) / 1e3;
            String others = row.size() > 5
                    ? String.format("%.2f", (Double.parseDouble(row.get(5)) / 1e9 - cpuSeconds) / cpuSeconds) : "n/a";
            table.append(String.format("%-26s %,18.0f %13.0f%% %9.0f%% %24s%n", row.get(0), decisions / cpuSeconds,
                    100 * cpuSeconds / wallSeconds, 100 * gcSeconds / wallSeconds, others));
        }
        return table.toString();
    }

    /** JMH's CSV: a header line, then quoted or bare fields separated by commas. */
    static List<List<String>> readCsv(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (!line.isBlank()) {
                rows.add(splitCsvLine(line));
            }
        }
        return rows;
    }

    private static List<String> splitCsvLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
