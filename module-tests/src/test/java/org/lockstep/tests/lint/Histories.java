package org.lockstep.tests.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockstep.LintFinding;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;
import org.lockstep.LintRule;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/** Writes migration histories into folders and lints them through the public API. */
final class Histories {
    private Histories() {}

    /** A history: file names to texts, in the order given. */
    static Map<String, String> of(String... namesAndTexts) {
        Map<String, String> history = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            history.put(namesAndTexts[i], namesAndTexts[i + 1]);
        }
        return history;
    }

    /** Writes the history into a new folder under {@code root} and returns the folder. */
    static Path write(Path root, Map<String, String> history) {
        try {
            Path folder = Files.createTempDirectory(root, "migrations");
            for (Map.Entry<String, String> script : history.entrySet()) {
                Files.writeString(folder.resolve(script.getKey()), script.getValue(), StandardCharsets.UTF_8);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lints the history with the options, against no database. */
    static LintReport lint(Path root, Map<String, String> history, LintOptions options) {
        MigrationConfig config = MigrationConfig.builder()
                .url("jdbc:sqlite::memory:")
                .location(write(root, history))
                .build();
        return Migrator.create(config).lint(options);
    }

    /** Lints a base script and a change with the default options; returns the messages of one rule's findings. */
    static List<String> messages(Path root, String base, String change, LintRule rule) {
        return lint(root, of("001_base.sql", base, "002_change.sql", change), LintOptions.defaults())
                .findings()
                .stream()
                .filter(finding -> finding.rule() == rule)
                .map(LintFinding::message)
                .toList();
    }
}
