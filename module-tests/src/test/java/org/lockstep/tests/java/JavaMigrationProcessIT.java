package org.lockstep.tests.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * The command with {@code --java-migrations}: a modular application ({@code app/notes}, its own
 * {@code module-info} providing {@code org.lockstep.JavaMigration}) compiled and jarred here
 * against the built {@code org.lockstep}; 20 JVMs started together from the command's module
 * path apply its migration exactly once. A migration that calls {@code commit()} (loaded from an
 * exploded module folder) fails the deploy with exit code 1 naming its class, and changes nothing.
 * A plain folder of classes (no module) provides a connection initializer through
 * {@code META-INF/services}, registering the SQL function a script calls.
 */
final class JavaMigrationProcessIT {
    private static final int WORKERS = 20;

    @TempDir
    Path dir;

    private Path database;
    private Path scripts;

    @BeforeEach
    void writeScripts() throws Exception {
        database = dir.resolve("app.db");
        scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(
                scripts.resolve("001_users.sql"),
                "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
                        + "CREATE TABLE migration_runs (what TEXT NOT NULL);\n"
                        + "INSERT INTO users (name) VALUES ('Ada Lovelace'), ('Grace Hopper');\n");
        Files.writeString(scripts.resolve("003_index.sql"), "CREATE INDEX users_last ON users (last);\n");
    }

    /** Compiles the application {@code app/NAME} from the test resources into an exploded module folder. */
    private Path compile(String name, String... sources) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src-" + name));
        List<String> files = new ArrayList<>();
        for (String source : sources) {
            Path target = src.resolve(source);
            Files.createDirectories(target.getParent());
            try (InputStream in = getClass().getResourceAsStream("app/" + name + "/" + source)) {
                Files.copy(in, target);
            }
            files.add(target.toString());
        }
        Path classes = dir.resolve("classes-" + name);
        Path modules = Path.of(System.getProperty("lockstep.modulePath"));
        boolean modular = List.of(sources).contains("module-info.java");
        List<String> args = new ArrayList<>();
        if (modular) {
            args.addAll(List.of("--module-path", modules.toString()));
        } else {
            try (var jars = Files.list(modules)) {
                args.addAll(List.of(
                        "-cp",
                        String.join(
                                java.io.File.pathSeparator,
                                jars.map(Path::toString).sorted().toList())));
            }
        }
        args.addAll(List.of("-d", classes.toString()));
        args.addAll(files);
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertEquals(0, code, "javac failed: " + errors);
        return classes;
    }

    private Path jar(Path classes, String name) {
        Path jar = dir.resolve(name + ".jar");
        StringWriter out = new StringWriter();
        int code = ToolProvider.findFirst("jar")
                .orElseThrow()
                .run(
                        new PrintWriter(out),
                        new PrintWriter(out),
                        "--create",
                        "--file",
                        jar.toString(),
                        "-C",
                        classes.toString(),
                        ".");
        assertEquals(0, code, "jar failed: " + out);
        return jar;
    }

    private List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private record Outcome(String name, int exitCode, String stdout, String stderr) {}

    private List<Outcome> herd(int workers, Path javaMigrations) throws Exception {
        List<WorkerProcess> children = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                List<String> command = List.of(
                        "migrate",
                        "--json",
                        "--database",
                        database.toString(),
                        "--migrations",
                        scripts.toString(),
                        "--java-migrations",
                        javaMigrations.toString(),
                        "--owner",
                        "w" + w,
                        "--lock-timeout",
                        "60s");
                children.add(WorkerProcess.start(dir, "w" + w, command, List.of()));
            }
            WorkerProcess.releaseTogether(children);
            List<Outcome> outcomes = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                WorkerProcess child = children.get(w);
                int code = child.awaitExit(120);
                outcomes.add(new Outcome("w" + w, code, child.output(), child.stderr()));
            }
            return outcomes;
        } finally {
            children.forEach(child -> child.process().destroyForcibly());
        }
    }

    @Test
    @Timeout(300)
    void twentyJvmsApplyAModularApplicationsJavaMigrationExactlyOnce() throws Exception {
        Path jar = jar(compile("notes", "module-info.java", "com/example/notes/V2SplitNames.java"), "notes");

        List<Outcome> outcomes = herd(WORKERS, jar);

        for (Outcome outcome : outcomes) {
            assertEquals(0, outcome.exitCode(), () -> outcome.name() + " failed: " + outcome.stderr());
        }
        assertEquals(List.of("split names"), query("SELECT what FROM migration_runs"));
        assertEquals(
                List.of("Ada|Lovelace", "Grace|Hopper"), query("SELECT first || '|' || last FROM users ORDER BY id"));
        assertEquals(
                List.of("001_users.sql|SQL", "com.example.notes.V2SplitNames|JAVA", "003_index.sql|SQL"),
                query("SELECT script || '|' || type FROM schema_migrations ORDER BY applied_rank"));
        List<String> winners = query("SELECT DISTINCT applied_by FROM schema_migrations");
        assertEquals(1, winners.size(), "one worker applied everything in one transaction: " + winners);
        long reporting = outcomes.stream()
                .filter(o -> applied(o.stdout()).contains("com.example.notes.V2SplitNames"))
                .count();
        assertEquals(1, reporting, "workers reporting the Java migration as theirs");
    }

    // The "applied" list of a migrate --json report: what this worker applied itself.
    private static String applied(String json) {
        int start = json.indexOf("\"applied\":");
        int end = json.indexOf("\"appliedByOthers\":", start);
        assertTrue(start >= 0 && end > start, "unexpected report: " + json);
        return json.substring(start, end);
    }

    @Test
    @Timeout(120)
    void aConnectionInitializerInAPlainFolderOfClassesServesTheScripts() throws Exception {
        Path classes = compile("plain", "com/example/plain/NormalizeOnConnections.java");
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        try (InputStream in =
                getClass().getResourceAsStream("app/plain/META-INF/services/org.lockstep.ConnectionInitializer")) {
            Files.copy(in, services.resolve("org.lockstep.ConnectionInitializer"));
        }
        Files.delete(scripts.resolve("003_index.sql"));
        Files.writeString(
                scripts.resolve("002_normalized.sql"),
                "UPDATE users SET name = normalize('Ame\u0301lie Nothomb') WHERE id = 2;\n");

        Outcome outcome = herd(1, classes).get(0);

        assertEquals(0, outcome.exitCode(), outcome.stdout() + outcome.stderr());
        assertEquals(List.of("Am\u00e9lie Nothomb"), query("SELECT name FROM users WHERE id = 2"));
    }

    @Test
    @Timeout(120)
    void aJavaMigrationThatCallsCommitFailsTheDeployWithExitCode1AndChangesNothing() throws Exception {
        Path classes = compile("broken", "module-info.java", "com/example/broken/V2CommitsEarly.java");
        Outcome first = herd(1, classes).get(0);

        String said = first.stdout() + first.stderr();
        assertEquals(1, first.exitCode(), said);
        assertTrue(
                said.contains("Java migration [com.example.broken.V2CommitsEarly]")
                        && said.contains("may not call Connection.commit()"),
                said);
        // Nothing of the deploy is left: only the record of the failed attempt, which names the class.
        assertEquals(
                List.of("schema_migrations_failures"),
                query("SELECT name FROM sqlite_master"),
                "the failed deploy left something");
        assertTrue(
                query("SELECT message FROM schema_migrations_failures")
                        .get(0)
                        .contains("com.example.broken.V2CommitsEarly"),
                "the failure record does not name the class");
    }
}
