package org.lockstep.cli.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The results as a table for people and as JSON for tools.
 *
 * @param machine what they were measured on
 * @param settings how
 * @param titles each section's title, by number
 * @param results the rows, in section order
 * @param started when the benchmark started
 * @param elapsed how long it took
 */
record Report(
        Machine machine,
        BenchSettings settings,
        Map<Integer, String> titles,
        List<Result> results,
        Instant started,
        Duration elapsed) {

    private static final String[] HEADERS = {
        "", "measure", "unit", "median", "min", "max", "p95", "p99", "n", "target", "met"
    };

    /** Copies the collections. */
    Report {
        titles = Map.copyOf(titles);
        results = List.copyOf(results);
    }

    /** Returns the table, the machine above it and the notes below it. */
    String table() {
        List<String[]> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        int section = 0;
        char letter = 'a';
        for (Result result : results) {
            if (result.section() != section) {
                section = result.section();
                letter = 'a';
                rows.add(new String[] {Integer.toString(section), titles.get(section)});
            }
            String id = section + "" + letter++;
            rows.add(cells(id, result));
            if (!result.note().isEmpty()) {
                notes.add(id + "  " + result.note());
            }
            if (result.met().equals(Optional.of(false))) {
                missed.add(id + "  " + result.measure() + ": " + result.shortfall());
            }
        }
        int[] widths = new int[HEADERS.length];
        for (int c = 0; c < HEADERS.length; c++) {
            widths[c] = HEADERS[c].length();
        }
        for (String[] row : rows) {
            if (row.length == HEADERS.length) {
                for (int c = 0; c < row.length; c++) {
                    widths[c] = Math.max(widths[c], row[c].length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Lockstep benchmark, %s: %d run%s per figure%s, a fresh database" + " per run; %s s in all%n",
                started.toString().substring(0, 19) + "Z",
                settings.runs(),
                settings.runs() == 1 ? "" : "s",
                settings.quick() ? " (--quick)" : "",
                Figures.format(elapsed.toMillis() / 1000.0)));
        out.append(String.format(
                Locale.ROOT,
                "Machine: %d cores, %s, JDK %s, max heap %d MiB%n",
                machine.cores(),
                machine.os(),
                machine.jdk(),
                machine.maxHeapMebibytes()));
        out.append(String.format(
                Locale.ROOT,
                "SQLite %s (%s); %s%s%n%n",
                machine.sqlite(),
                machine.driver(),
                machine.runtime(),
                machine.loadAverage().isEmpty() ? "" : "; load average at start " + machine.loadAverage()));
        line(out, HEADERS, widths);
        for (String[] row : rows) {
            if (row.length == HEADERS.length) {
                line(out, row, widths);
            } else {
                out.append(row[0]).append("  ").append(row[1]).append('\n');
            }
        }
        out.append("\nNotes\n");
        notes.forEach(note -> out.append("  ").append(note).append('\n'));
        out.append(missed.isEmpty() ? "\nEvery target was met.\n" : "\nTargets missed\n");
        missed.forEach(m -> out.append("  ").append(m).append('\n'));
        return out.toString();
    }

    /** Returns the report as JSON, with every sample. */
    String json() {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"benchmark\": \"lockstep bench\",\n");
        out.append("  \"started\": ").append(string(started.toString())).append(",\n");
        out.append("  \"elapsedSeconds\": ")
                .append(number(elapsed.toMillis() / 1000.0))
                .append(",\n");
        out.append("  \"settings\": {\"runs\": ")
                .append(settings.runs())
                .append(", \"quick\": ")
                .append(settings.quick())
                .append(", \"sections\": ")
                .append(settings.sections().stream()
                        .sorted()
                        .map(String::valueOf)
                        .collect(Collectors.joining(", ", "[", "]")))
                .append("},\n");
        out.append("  \"machine\": {\"cores\": ")
                .append(machine.cores())
                .append(", \"os\": ")
                .append(string(machine.os()))
                .append(", \"jdk\": ")
                .append(string(machine.jdk()))
                .append(", \"maxHeapMiB\": ")
                .append(machine.maxHeapMebibytes())
                .append(", \"sqlite\": ")
                .append(string(machine.sqlite()))
                .append(", \"driver\": ")
                .append(string(machine.driver()))
                .append(", \"runtime\": ")
                .append(string(machine.runtime()))
                .append(", \"loadAverage\": ")
                .append(string(machine.loadAverage()))
                .append("},\n");
        out.append("  \"results\": [");
        int section = 0;
        char letter = 'a';
        String separator = "\n";
        for (Result result : results) {
            if (result.section() != section) {
                section = result.section();
                letter = 'a';
            }
            out.append(separator)
                    .append("    {\"id\": ")
                    .append(string(section + "" + letter++))
                    .append(", \"section\": ")
                    .append(section)
                    .append(", \"title\": ")
                    .append(string(titles.get(section)))
                    .append(", \"measure\": ")
                    .append(string(result.measure()))
                    .append(", \"unit\": ")
                    .append(string(result.unit()));
            if (result.summary().isPresent()) {
                Summary s = result.summary().get();
                out.append(", \"median\": ")
                        .append(number(s.median()))
                        .append(", \"min\": ")
                        .append(number(s.min()))
                        .append(", \"max\": ")
                        .append(number(s.max()));
                if (result.tail()) {
                    out.append(", \"p95\": ")
                            .append(number(s.p95()))
                            .append(", \"p99\": ")
                            .append(number(s.p99()));
                }
                out.append(", \"n\": ").append(s.count());
            }
            out.append(", \"target\": ")
                    .append(result.target()
                            .map(t -> string(t.describe(result.unit())))
                            .orElse("null"))
                    .append(", \"met\": ")
                    .append(result.met().map(String::valueOf).orElse("null"));
            if (result.met().equals(Optional.of(false))) {
                out.append(", \"shortfall\": ").append(string(result.shortfall()));
            }
            out.append(", \"note\": ").append(string(result.note()));
            result.summary()
                    .ifPresent(s -> out.append(", \"samples\": ")
                            .append(s.samples().stream()
                                    .map(Report::number)
                                    .collect(Collectors.joining(", ", "[", "]"))));
            out.append('}');
            separator = ",\n";
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    private static String[] cells(String id, Result result) {
        String[] cells = new String[HEADERS.length];
        cells[0] = id;
        cells[1] = result.measure();
        cells[2] = result.unit();
        if (result.summary().isPresent()) {
            Summary s = result.summary().get();
            cells[3] = Figures.format(s.median());
            cells[4] = Figures.format(s.min());
            cells[5] = Figures.format(s.max());
            cells[6] = result.tail() ? Figures.format(s.p95()) : "";
            cells[7] = result.tail() ? Figures.format(s.p99()) : "";
            cells[8] = Integer.toString(s.count());
        } else {
            for (int c = 3; c <= 8; c++) {
                cells[c] = "";
            }
        }
        cells[9] = result.target().map(t -> t.describe(result.unit())).orElse("");
        cells[10] = result.met()
                .map(met -> met ? "yes" : "NO")
                .orElse(result.summary().isEmpty() ? "-" : "");
        return cells;
    }

    // Text columns left-aligned, figures right-aligned.
    private static void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            boolean left = c <= 2 || c >= 9;
            String pad = " ".repeat(widths[c] - cells[c].length());
            line.append(left ? cells[c] + pad : pad + cells[c]).append(c == cells.length - 1 ? "" : "  ");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String number(double value) {
        return Double.isFinite(value)
                ? String.format(Locale.ROOT, "%.4f", value).replaceAll("\\.?0+$", "")
                : "null";
    }

    private static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
