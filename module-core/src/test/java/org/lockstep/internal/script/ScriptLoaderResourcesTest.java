package org.lockstep.internal.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationVersion;
import org.lockstep.ScriptFile;

/** Scripts shipped as resources: in a jar, in a class-path folder, and in a named module. */
final class ScriptLoaderResourcesTest {
    @TempDir
    Path dir;

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static final Map<String, String> SHIPPED = new java.util.TreeMap<>(Map.of(
            "db/", "",
            "db/002_b.sql", "CREATE TABLE b (x);\n",
            "db/001_a.sql", "CREATE TABLE a (x);\nINSERT INTO a VALUES (1);\n",
            "db/notes.txt", "not a script",
            "db/old/003_c.sql", "CREATE TABLE c (x);\n",
            "dbx/004_d.sql", "CREATE TABLE d (x);\n",
            "005_e.sql", "CREATE TABLE e (x);\n"));

    @Test
    void scriptsInAJarAreTheSqlFilesDirectlyInTheFolderNamedByJarAndEntry() throws Exception {
        Path jar = jar("app.jar", SHIPPED);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<MigrationScript> scripts =
                    ScriptLoader.load(List.of(new MigrationLocation.ClassLoaderResources(loader, "db")));

            assertEquals(
                    List.of("001_a.sql", "002_b.sql"),
                    scripts.stream().map(MigrationScript::fileName).toList());
            assertEquals("app.jar!/db/001_a.sql", scripts.get(0).source());
            assertEquals(2, scripts.get(0).statements().size());
            assertArrayEquals(
                    "CREATE TABLE b (x);\n".getBytes(StandardCharsets.UTF_8),
                    ScriptLoader.bytes(List.of(new MigrationLocation.ClassLoaderResources(loader, "/db/")))
                            .get(MigrationVersion.parse("2")));
        }
    }

    @Test
    void aJarBuiltWithoutDirectoryEntriesIsFoundThroughItsManifest() throws Exception {
        // Some build tools (and jar --no-directories style packagers) leave the folders out: the
        // class loader then finds no resource named "db", only the files in it.
        Path jar = jar(
                "flat.jar",
                new java.util.TreeMap<>(Map.of(
                        "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n",
                        "db/002_b.sql", "CREATE TABLE b (x);\n",
                        "db/001_a.sql", "CREATE TABLE a (x);\n",
                        "dbx/003_c.sql", "CREATE TABLE c (x);\n")));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertEquals(null, loader.getResource("db"), "the premise: no resource for the folder");

            List<MigrationScript> scripts =
                    ScriptLoader.load(List.of(new MigrationLocation.ClassLoaderResources(loader, "db")));

            assertEquals(
                    List.of("flat.jar!/db/001_a.sql", "flat.jar!/db/002_b.sql"),
                    scripts.stream().map(MigrationScript::source).toList());
            InvalidScriptException missing = assertThrows(
                    InvalidScriptException.class,
                    () -> ScriptLoader.load(List.of(new MigrationLocation.ClassLoaderResources(loader, "sql"))));
            assertTrue(missing.getMessage().endsWith("does not exist"), missing.getMessage());
        }
    }

    @Test
    void onlyTheNamedFolderOfAJarIsListed() throws Exception {
        Path jar =
                jar("root.jar", Map.of("005_e.sql", "CREATE TABLE e (x);\n", "db/", "", "db/001_a.sql", "SELECT 1;\n"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<ScriptFile> files = ScriptLoader.files(new MigrationLocation.ClassLoaderResources(loader, "db"));
            assertEquals(
                    List.of("001_a.sql"),
                    files.stream().map(ScriptFile::fileName).toList());
            assertEquals("root.jar!/db/001_a.sql", files.get(0).source());
        }
    }

    @Test
    void scriptsInAClassPathFolderAreNamedByTheirUrl() throws Exception {
        Path root = Files.createDirectories(dir.resolve("classes/db"));
        Files.writeString(root.resolve("001_a.sql"), "SELECT 1;\n");
        Files.createDirectories(root.resolve("002_not_a_script.sql"));
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
            List<ScriptFile> files = ScriptLoader.files(new MigrationLocation.ClassLoaderResources(loader, "db"));

            assertEquals(
                    List.of("001_a.sql"),
                    files.stream().map(ScriptFile::fileName).toList());
            assertEquals(root.resolve("001_a.sql").toString(), files.get(0).source());
        }
    }

    @Test
    void aFolderFoundInTwoClassPathEntriesGivesTheScriptsOfBoth() throws Exception {
        Path jar = jar("one.jar", Map.of("db/", "", "db/001_a.sql", "SELECT 1;\n"));
        Path folder = Files.createDirectories(dir.resolve("two/db"));
        Files.writeString(folder.resolve("002_b.sql"), "SELECT 2;\n");
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {jar.toUri().toURL(), dir.resolve("two").toUri().toURL()}, null)) {
            List<MigrationScript> scripts =
                    ScriptLoader.load(List.of(new MigrationLocation.ClassLoaderResources(loader, "db")));

            assertEquals(
                    List.of(MigrationVersion.parse("1"), MigrationVersion.parse("2")),
                    scripts.stream().map(MigrationScript::version).toList());
        }
    }

    @Test
    void aClassPathFolderNoEntryHasDoesNotExist() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            InvalidScriptException e = assertThrows(
                    InvalidScriptException.class,
                    () -> ScriptLoader.load(
                            List.of(new MigrationLocation.ClassLoaderResources(loader, "db/migratoins"))));

            assertEquals("Migration location [classpath:db/migratoins] does not exist", e.getMessage());
            assertEquals("classpath:db/migratoins", e.source());
        }
    }

    @Test
    void aResourceUrlThatIsNeitherFolderNorJarCannotBeListed() throws Exception {
        URL remote = new URL("http://example.invalid/db");
        ClassLoader loader = new ClassLoader(null) {
            @Override
            public Enumeration<URL> getResources(String name) {
                return Collections.enumeration(List.of(remote));
            }
        };

        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.load(List.of(new MigrationLocation.ClassLoaderResources(loader, "db"))));

        assertEquals(
                "Migration location [classpath:db] resolves to [http://example.invalid/db], which cannot be listed;"
                        + " use a folder or a jar",
                e.getMessage());
    }

    @Test
    void aClassLoaderThatFailsToListIsReportedAsUnreadable() {
        ClassLoader loader = new ClassLoader(null) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                throw new IOException("disk gone");
            }
        };

        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.load(List.of(new MigrationLocation.ClassLoaderResources(loader, "db"))));

        assertEquals(
                "Migration location [classpath:db] cannot be read: java.io.IOException: disk gone", e.getMessage());
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    }

    /** A named module, defined here in a layer of its own, whose resources are {@link #SHIPPED}'s files. */
    private static Module namedModule() {
        ModuleReference reference =
                new ModuleReference(
                        ModuleDescriptor.newModule("lockstep.scripts.fixture").build(),
                        URI.create("memory:///fixture")) {
                    @Override
                    public ModuleReader open() {
                        return new ModuleReader() {
                            @Override
                            public Optional<URI> find(String name) {
                                return SHIPPED.containsKey(name)
                                        ? Optional.of(URI.create("memory:///" + name))
                                        : Optional.empty();
                            }

                            @Override
                            public Optional<InputStream> open(String name) {
                                String text = SHIPPED.get(name);
                                return text == null
                                        ? Optional.empty()
                                        : Optional.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
                            }

                            @Override
                            public Stream<String> list() {
                                return SHIPPED.keySet().stream();
                            }

                            @Override
                            public void close() {}
                        };
                    }
                };
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return name.equals("lockstep.scripts.fixture") ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(reference);
            }
        };
        Configuration configuration = ModuleLayer.boot()
                .configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("lockstep.scripts.fixture"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration, null);
        return layer.findModule("lockstep.scripts.fixture").orElseThrow();
    }

    @Test
    void scriptsOfANamedModuleAreItsResourcesDirectlyInTheFolder() throws Exception {
        Module module = namedModule();

        List<MigrationScript> scripts = ScriptLoader.load(List.of(new MigrationLocation.ModuleResources(module, "db")));

        assertEquals(
                List.of("001_a.sql", "002_b.sql"),
                scripts.stream().map(MigrationScript::fileName).toList());
        assertEquals("lockstep.scripts.fixture/db/001_a.sql", scripts.get(0).source());
        assertArrayEquals(
                "CREATE TABLE b (x);\n".getBytes(StandardCharsets.UTF_8),
                ScriptLoader.bytes(List.of(new MigrationLocation.ModuleResources(module, "db")))
                        .get(MigrationVersion.parse("2")));
        List<ScriptFile> atTheTop = ScriptLoader.files(new MigrationLocation.ModuleResources(module, ""));
        assertEquals(
                List.of("005_e.sql"),
                atTheTop.stream().map(ScriptFile::fileName).toList());
    }

    @Test
    void aFolderANamedModuleDoesNotHaveDoesNotExist() throws Exception {
        Module module = namedModule();

        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.files(new MigrationLocation.ModuleResources(module, "db/migratoins")));

        assertEquals(
                "Migration location [module lockstep.scripts.fixture:db/migratoins] does not exist", e.getMessage());
    }

    @Test
    void theUnnamedModuleIsSearchedThroughItsClassLoader() throws Exception {
        Path jar = jar("unnamed.jar", SHIPPED);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<ScriptFile> files =
                    ScriptLoader.files(new MigrationLocation.ModuleResources(loader.getUnnamedModule(), "db"));

            assertEquals(
                    List.of("001_a.sql", "002_b.sql"),
                    files.stream().map(ScriptFile::fileName).toList());
        }
    }
}
