package dev.crmsso.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What each measured scenario cost, recorded per iteration while Gatling drives the load, and the
 * table of ratios against the baseline measured beside it ("P2 ..." against "P2 baseline: ...").
 * Gatling's own HTML report (target/gatling) has the per-request detail.
 */
final class BenchReport {

    private record Sample(long nanos, boolean ok) {
    }

    private static final Map<String, ConcurrentLinkedQueue<Sample>> SAMPLES = new ConcurrentHashMap<>();
    private static final Map<String, long[]> WINDOWS = new ConcurrentHashMap<>();

    private BenchReport() {
    }

    static void record(String scenario, long startNanos, boolean ok) {
        long end = System.nanoTime();
        SAMPLES.computeIfAbsent(scenario, k -> new ConcurrentLinkedQueue<>()).add(new Sample(end - startNanos, ok));
        WINDOWS.merge(scenario, new long[] {startNanos, end}, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }

    record Row(String name, int ok, int failed, double medianMs, double p99Ms, double perSecond) {
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        new TreeMap<>(SAMPLES).forEach((name, samples) -> {
            List<Long> ok = new ArrayList<>();
            int failed = 0;
            for (Sample s : samples) {
                if (s.ok()) {
                    ok.add(s.nanos());
                } else {
                    failed++;
                }
            }
            Collections.sort(ok);
            long[] window = WINDOWS.get(name);
            double seconds = (window[1] - window[0]) / 1e9;
            rows.add(new Row(name, ok.size(), failed, percentile(ok, 50), percentile(ok, 99), ok.size() / seconds));
        });
        return rows;
    }

    private static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    /** Prints the table and writes it as JSON. */
    static void write(Path json, Map<String, String> notes) throws IOException {
        List<Row> rows = rows();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n%-66s %6s %4s %9s %9s %8s %8s %8s%n",
                "scenario", "ok", "ko", "median ms", "p99 ms", "per s", "time x", "thru x"));
        StringBuilder out = new StringBuilder("{\n  \"date\": \"" + java.time.LocalDate.now() + "\",\n  \"cores\": "
                + Runtime.getRuntime().availableProcessors() + ",\n  \"scenarios\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Row base = baselineOf(r, rows);
            double time = base == null ? Double.NaN : r.medianMs() / base.medianMs();
            double throughput = base == null ? Double.NaN : r.perSecond() / base.perSecond();
            table.append(String.format(Locale.ROOT, "%-66s %6d %4d %9.1f %9.1f %8.2f %8s %8s%n", r.name(), r.ok(), r.failed(),
                    r.medianMs(), r.p99Ms(), r.perSecond(), ratio(time), ratio(throughput)));
            out.append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"ok\": %d, \"failed\": %d, \"medianMs\": %.2f, "
                    + "\"p99Ms\": %.2f, \"perSecond\": %.3f, \"timeRatio\": %s, \"throughputRatio\": %s}%s%n", r.name(), r.ok(),
                    r.failed(), r.medianMs(), r.p99Ms(), r.perSecond(), json(time), json(throughput), i < rows.size() - 1 ? "," : ""));
        }
        out.append("  ],\n  \"notes\": {");
        List<String> noteLines = new ArrayList<>();
        notes.forEach((k, v) -> noteLines.add("\n    \"" + k + "\": \"" + v + "\""));
        out.append(String.join(",", noteLines)).append("\n  }\n}\n");
        notes.forEach((k, v) -> table.append(k).append(": ").append(v).append('\n'));
        System.out.println(table);
        Files.createDirectories(json.getParent());
        Files.writeString(json, out);
        System.out.println("written to " + json.toAbsolutePath());
    }

    /** "P2 baseline: ..." for "P2 ..."; the "P2b baseline" (another baseline of P2) is compared to it too. */
    private static Row baselineOf(Row row, List<Row> rows) {
        String id = row.name().split(" ")[0];
        String base = id.replaceAll("[a-z]$", "");
        if (row.name().startsWith(base + " baseline")) {
            return null;
        }
        return rows.stream().filter(r -> r.name().startsWith(base + " baseline")).findFirst().orElse(null);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String json(double value) {
        return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.4f", value);
    }
}
