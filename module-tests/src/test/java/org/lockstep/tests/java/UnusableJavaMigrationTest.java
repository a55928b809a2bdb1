package org.lockstep.tests.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.ConnectionInitializer;
import org.lockstep.InvalidScriptException;
import org.lockstep.JavaMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/**
 * A Java migration or service Lockstep cannot use is refused by every verb before the database
 * is opened, with an {@link InvalidScriptException} that names the class and says what is
 * wrong with it: a missing version, description or checksum, a migration that throws when asked
 * what it is, two Java migrations with one version, a service that cannot be instantiated or
 * whose class is not there.
 */
final class UnusableJavaMigrationTest {
    @TempDir
    Path dir;

    private Path database;
    private Path scripts;

    @BeforeEach
    void writeScripts() throws IOException {
        database = dir.resolve("app.db");
        scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(scripts.resolve("001_users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    }

    private MigrationConfig.Builder config() {
        return MigrationConfig.builder()
                .url("jdbc:sqlite:" + database)
                .location(scripts)
                .owner("tester");
    }

    /** A Java migration that answers what it is with what the test gives it. */
    private static final class Described implements JavaMigration {
        private final Supplier<MigrationVersion> version;
        private final String description;
        private final String checksum;

        Described(Supplier<MigrationVersion> version, String description, String checksum) {
            this.version = version;
            this.description = description;
            this.checksum = checksum;
        }

        @Override
        public MigrationVersion version() {
            return version.get();
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public String checksum() {
            return checksum;
        }

        @Override
        public void migrate(Connection connection) {}
    }

    private static JavaMigration described(String version, String description, String checksum) {
        return new Described(() -> version == null ? null : MigrationVersion.parse(version), description, checksum);
    }

    /** Every verb refuses the configuration, with one message, and the database stays unopened. */
    private InvalidScriptException refused(MigrationConfig config) {
        Migrator migrator = Migrator.create(config);
        InvalidScriptException migrate = assertThrows(InvalidScriptException.class, migrator::migrate);
        InvalidScriptException status = assertThrows(InvalidScriptException.class, migrator::status);
        assertEquals(migrate.getMessage(), status.getMessage());
        assertFalse(Files.exists(database), "the database was opened");
        return migrate;
    }

    private static final String DESCRIBED = Described.class.getName();

    @Test
    void aMigrationWithoutAVersionIsRefused() {
        assertEquals(
                "Java migration [" + DESCRIBED + "] has no version: version() returned null",
                refused(config().javaMigration(described(null, "x", "")).build())
                        .getMessage());
    }

    @Test
    void aMigrationWithABlankDescriptionIsRefused() {
        for (String blank : new String[] {null, "", " \t"}) {
            assertEquals(
                    "Java migration [" + DESCRIBED + "] has no description: description() is blank",
                    refused(config().javaMigration(described("2", blank, "")).build())
                            .getMessage(),
                    "description [" + blank + "]");
        }
    }

    @Test
    void aMigrationWithoutAChecksumIsRefused() {
        assertEquals(
                "Java migration [" + DESCRIBED + "] has no checksum: checksum() returned null",
                refused(config().javaMigration(described("2", "x", null)).build())
                        .getMessage());
    }

    @Test
    void aMigrationThatThrowsWhenAskedWhatItIsIsRefused() {
        IllegalStateException thrown = new IllegalStateException("not configured yet");
        InvalidScriptException refused = refused(config().javaMigration(new Described(
                        () -> {
                            throw thrown;
                        },
                        "x",
                        ""))
                .build());
        assertEquals("Java migration [" + DESCRIBED + "] cannot say what it is: " + thrown, refused.getMessage());
        assertEquals(thrown, refused.getCause());
    }

    @Test
    void twoJavaMigrationsWithOneVersionAreRefusedNamingBoth() {
        InvalidScriptException refused = refused(config().javaMigration(described("2", "first", ""))
                .javaMigration(new V2SplitNames())
                .build());
        assertEquals(
                "Duplicate version [2] in Java migration [" + V2SplitNames.class.getName() + "] and Java migration ["
                        + DESCRIBED + "]",
                refused.getMessage());
    }

    @Test
    void theDescriptionIsRecordedStrippedAndTheMigrationRunsByVersion() throws Exception {
        MigrateResult result = Migrator.create(config().javaMigration(described("0.5", "  early  ", "c1"))
                        .build())
                .migrate();
        assertEquals(
                List.of("0.5", "001"),
                result.applied().stream().map(a -> a.name()).toList());
        assertEquals("early", result.applied().get(0).description());
    }

    /** A service provider whose constructor throws. */
    public static final class Unbuildable implements JavaMigration {
        public Unbuildable() {
            throw new IllegalStateException("needs a container");
        }

        @Override
        public MigrationVersion version() {
            return MigrationVersion.parse("9");
        }

        @Override
        public String description() {
            return "never";
        }

        @Override
        public void migrate(Connection connection) {}
    }

    /** An initializer provider whose constructor throws. */
    public static final class UnbuildableInitializer implements ConnectionInitializer {
        public UnbuildableInitializer() {
            throw new IllegalStateException("needs a pool");
        }

        @Override
        public void initialize(Connection connection) {}
    }

    /** A class loader whose class path is a folder with one services file listing {@code providers}. */
    private URLClassLoader servicesOf(Class<?> type, String... providers) throws IOException {
        Path root = dir.resolve("services-" + type.getSimpleName());
        Path file = root.resolve("META-INF/services/" + type.getName());
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", providers) + "\n");
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                return UnusableJavaMigrationTest.class.getClassLoader().loadClass(name);
            }
        };
    }

    @Test
    void aServiceThatCannotBeInstantiatedIsRefusedNamingItsClassAndWhy() throws IOException {
        try (URLClassLoader loader = servicesOf(JavaMigration.class, Unbuildable.class.getName())) {
            InvalidScriptException refused = refused(config().services(loader).build());
            assertEquals(
                    "Java migration [" + Unbuildable.class.getName()
                            + "] cannot be instantiated: java.lang.IllegalStateException: needs a container",
                    refused.getMessage());
        }
        try (URLClassLoader loader = servicesOf(ConnectionInitializer.class, UnbuildableInitializer.class.getName())) {
            assertEquals(
                    "Connection initializer [" + UnbuildableInitializer.class.getName()
                            + "] cannot be instantiated: java.lang.IllegalStateException: needs a pool",
                    refused(config().services(loader).build()).getMessage());
        }
    }

    @Test
    void aServiceWhoseClassIsNotThereIsRefusedNamingTheLoader() throws IOException {
        try (URLClassLoader loader = servicesOf(JavaMigration.class, "com.example.V7Gone")) {
            InvalidScriptException refused = refused(config().services(loader).build());
            String message = refused.getMessage();
            assertTrue(
                    message.startsWith("A JavaMigration service of [class loader " + loader + "] cannot be loaded: "),
                    message);
            assertTrue(message.contains("com.example.V7Gone"), message);
        }
    }
}
