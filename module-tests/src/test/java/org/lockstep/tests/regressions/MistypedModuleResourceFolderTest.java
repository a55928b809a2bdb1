package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationLocation;
import org.lockstep.Migrator;

/**
 * Issue 11, item 16: a module-resource folder with a typo in its name ({@code db/migratoins})
 * migrated nothing and reported the database up to date, while the same typo in a folder or
 * a class-path location was refused. A location that does not exist, or that holds no
 * script, is now an error for every kind of location.
 */
final class MistypedModuleResourceFolderTest {
    @TempDir
    Path dir;

    // An application module with its scripts in db/migrations, loaded in a layer of its own
    // so that it is a named module, as it is for an application on the module path.
    private Module applicationModule() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        Path exploded = Files.createDirectories(dir.resolve("modules/app.schema"));
        Path moduleInfo = Files.writeString(source.resolve("module-info.java"), "module app.schema {}\n");
        assertEquals(
                0,
                ToolProvider.getSystemJavaCompiler()
                        .run(null, null, null, "-d", exploded.toString(), moduleInfo.toString()),
                "javac");
        Path migrations = Files.createDirectories(exploded.resolve("db/migrations"));
        Files.writeString(migrations.resolve("001_create_notes.sql"), "CREATE TABLE notes (id INTEGER);\n");
        Files.writeString(exploded.resolve("db/README.txt"), "not a script\n");
        Configuration configuration = ModuleLayer.boot()
                .configuration()
                .resolve(ModuleFinder.of(dir.resolve("modules")), ModuleFinder.of(), Set.of("app.schema"));
        ModuleLayer layer =
                ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
        return layer.findModule("app.schema").orElseThrow();
    }

    private Migrator migrator(MigrationLocation location) {
        return Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite:" + dir.resolve("app.db"))
                .location(location)
                .build());
    }

    @Test
    void mistypedModuleFolderIsRefusedAsMissing() throws Exception {
        Module module = applicationModule();
        assertEquals(
                1,
                migrator(new MigrationLocation.ModuleResources(module, "db/migrations"))
                        .status()
                        .size(),
                "the correctly spelt folder is found");

        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> migrator(new MigrationLocation.ModuleResources(module, "db/migratoins"))
                        .migrate());

        assertEquals("Migration location [module app.schema:db/migratoins] does not exist", e.getMessage());
        assertEquals("module app.schema:db/migratoins", e.source());
    }

    @Test
    void moduleFolderWithoutScriptsIsRefused() throws Exception {
        MigrationLocation location = new MigrationLocation.ModuleResources(applicationModule(), "db");

        InvalidScriptException e = assertThrows(
                InvalidScriptException.class, () -> migrator(location).migrate());

        assertEquals(
                "Migration location [module app.schema:db] holds no scripts (no file there ends in .sql)",
                e.getMessage());
    }

    @Test
    void folderAndClassPathLocationsWithoutScriptsAreRefusedToo() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("classes/db/empty"));
        Files.writeString(empty.resolve("README.txt"), "not a script\n");
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
            InvalidScriptException folder = assertThrows(
                    InvalidScriptException.class,
                    () -> migrator(new MigrationLocation.Directory(empty)).migrate());
            InvalidScriptException classPath = assertThrows(
                    InvalidScriptException.class,
                    () -> migrator(new MigrationLocation.ClassLoaderResources(loader, "db/empty"))
                            .migrate());

            assertEquals(
                    "Migration folder [" + empty + "] holds no scripts (no file there ends in .sql)",
                    folder.getMessage());
            assertEquals(
                    "Migration location [classpath:db/empty] holds no scripts (no file there ends in .sql)",
                    classPath.getMessage());
        }
    }
}
