package org.lockstep.tests.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * The switch from Flyway as a team makes it: a SQLite database Flyway 13 migrated from V1 to
 * V8 is adopted with {@code lockstep adopt}, then a new V9 ships and 20 worker processes of the
 * command start together and migrate: V9 is applied exactly once, every worker succeeds, and
 * {@code validate} passes.
 */
final class AdoptedFlywayDatabaseHerdIT {
    @TempDir
    Path root;

    @Test
    @Timeout(300)
    void afterAdoptionANewScriptAppliesExactlyOnceUnderAHerdOfTwentyProcesses() throws Exception {
        ForeignDatabase db = new ForeignDatabase(root);
        FlywayHistoryFixture.writeVersioned(db);
        assertEquals(8, FlywayHistoryFixture.migrate(db).migrationsExecuted);
        Workspace.Run adopt = db.lockstep("adopt");
        assertEquals(0, adopt.exitCode(), adopt::toString);
        db.script(
                "V9__welcome_post.sql",
                "CREATE TABLE welcome (id INTEGER PRIMARY KEY);\n"
                        + "INSERT INTO posts (user_id, title) VALUES (1, 'welcome, once');\n");

        List<WorkerProcess> workers = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        try {
            for (int w = 0; w < 20; w++) {
                workers.add(WorkerProcess.start(
                        root,
                        "w" + w,
                        List.of(
                                "migrate",
                                "--json",
                                "--database",
                                db.database().toString(),
                                "--migrations",
                                db.workspace().migrations().toString(),
                                "--owner",
                                "w" + w,
                                "--lock-timeout",
                                "60s"),
                        List.of()));
            }
            WorkerProcess.releaseTogether(workers);
            for (WorkerProcess worker : workers) {
                assertEquals(0, worker.awaitExit(120), worker::stderr);
                outputs.add(worker.output());
            }
        } finally {
            workers.forEach(worker -> worker.process().destroyForcibly());
        }

        long winners = outputs.stream()
                .filter(out -> out.contains("\"applied\":[{\"version\":\"9\""))
                .count();
        assertEquals(1, winners, String.join("\n", outputs));
        assertEquals(List.of("1"), db.column("SELECT count(*) FROM posts WHERE title = 'welcome, once'"));
        assertEquals(
                List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"),
                db.column("SELECT version FROM schema_migrations ORDER BY CAST(version AS INTEGER)"));
        Workspace.Run validate = db.lockstep("validate");
        assertEquals(0, validate.exitCode(), validate::toString);
    }
}
