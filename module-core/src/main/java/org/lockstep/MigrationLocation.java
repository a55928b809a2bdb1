package org.lockstep;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.lockstep.internal.script.ScriptLoader;

/**
 * Where migration scripts are found: a folder on the file system, or a resource folder of a
 * class loader or a module, so that scripts can ship inside an application's jar.
 *
 * <p>Only the folder itself is searched, not its subfolders. Files whose names end in
 * {@code .sql} must follow the naming rule; other files are ignored.
 */
public sealed interface MigrationLocation {

    /** Returns a short description for messages, e.g. {@code directory db/migrations}. */
    String describe();

    /**
     * Lists the scripts this location holds, in version order, by their names alone: the
     * naming rule and unique versions are checked, no file's contents are read and no
     * database is opened. A location that exists but holds no script gives an empty list here
     * (a tool that writes the first script lists first); the {@link Migrator} verbs refuse it.
     *
     * @return the scripts, in version order
     * @throws InvalidScriptException if the location does not exist or cannot be read, a
     *     {@code .sql} file's name breaks the rule, or two scripts share a version
     */
    default List<ScriptFile> scripts() {
        return ScriptLoader.files(this);
    }

    /**
     * A folder on the file system.
     *
     * @param path the folder
     */
    record Directory(Path path) implements MigrationLocation {
        /** Checks that the path is not null. */
        public Directory {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return "directory " + path;
        }
    }

    /**
     * A resource folder seen through a class loader, in {@code file:} folders or jars.
     *
     * @param loader the class loader
     * @param folder the resource folder, e.g. {@code db/migrations}
     */
    record ClassLoaderResources(ClassLoader loader, String folder) implements MigrationLocation {
        /** Checks the components and strips slashes around the folder. */
        public ClassLoaderResources {
            Objects.requireNonNull(loader, "loader");
            folder = trimSlashes(Objects.requireNonNull(folder, "folder"));
        }

        @Override
        public String describe() {
            return "classpath:" + folder;
        }
    }

    /**
     * A resource folder of a module. For a named module every resource in the folder is
     * found, whether or not its package is open; for an unnamed module the module's class
     * loader is searched.
     *
     * @param module the module
     * @param folder the resource folder, e.g. {@code org/example/migrations}
     */
    record ModuleResources(Module module, String folder) implements MigrationLocation {
        /** Checks the components and strips slashes around the folder. */
        public ModuleResources {
            Objects.requireNonNull(module, "module");
            folder = trimSlashes(Objects.requireNonNull(folder, "folder"));
        }

        @Override
        public String describe() {
            return "module " + (module.isNamed() ? module.getName() : "(unnamed)") + ":" + folder;
        }
    }

    private static String trimSlashes(String folder) {
        String trimmed = folder;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
