package org.lockstep.cli;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolutionException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.lockstep.MigrationConfig;

/**
 * {@code --java-migrations PATH}: Java migrations and connection initializers the command loads
 * at run time. A modular jar, a folder of modular jars or an exploded module (a folder with a
 * {@code module-info.class}) is loaded into a new module layer over the command's own, so a
 * module that {@code provides org.lockstep.JavaMigration with ...;} is found as a service; a
 * plain jar becomes an automatic module whose {@code META-INF/services} say what it provides. A
 * plain folder of classes, or any of these when the command itself runs on the class path, is
 * searched through a class loader and its {@code META-INF/services}.
 */
final class JavaMigrationPath {
    private JavaMigrationPath() {}

    /** Points the configuration's service search at what {@code path} holds. */
    static void apply(Path path, MigrationConfig.Builder builder) throws UsageException {
        if (!Files.exists(path)) {
            throw new UsageException("Option [--java-migrations]: [" + path + "] does not exist");
        }
        ModuleLayer parent = JavaMigrationPath.class.getModule().getLayer();
        if (parent == null || isPlainFolder(path)) {
            builder.services(classLoader(path));
            return;
        }
        ModuleFinder finder = ModuleFinder.of(path);
        try {
            Set<String> roots =
                    finder.findAll().stream().map(m -> m.descriptor().name()).collect(Collectors.toSet());
            if (roots.isEmpty()) {
                throw new UsageException("Option [--java-migrations]: [" + path + "] holds no jar or module");
            }
            Configuration configuration = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            builder.services(
                    parent.defineModulesWithOneLoader(configuration, JavaMigrationPath.class.getClassLoader()));
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new UsageException(
                    "Option [--java-migrations]: [" + path + "] cannot be loaded as modules: " + e.getMessage());
        }
    }

    // A folder with neither a module-info.class nor a jar: classes for the class path.
    private static boolean isPlainFolder(Path path) {
        if (!Files.isDirectory(path) || Files.exists(path.resolve("module-info.class"))) {
            return false;
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.noneMatch(
                    p -> p.getFileName().toString().endsWith(".jar") || Files.exists(p.resolve("module-info.class")));
        } catch (IOException e) {
            return true;
        }
    }

    private static ClassLoader classLoader(Path path) throws UsageException {
        try {
            URL[] urls;
            if (Files.isDirectory(path) && !Files.exists(path.resolve("module-info.class"))) {
                try (Stream<Path> jars = Files.list(path)) {
                    Path[] found = jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
                            .sorted()
                            .toArray(Path[]::new);
                    urls = new URL[found.length + 1];
                    urls[0] = path.toUri().toURL();
                    for (int i = 0; i < found.length; i++) {
                        urls[i + 1] = found[i].toUri().toURL();
                    }
                }
            } else {
                urls = new URL[] {path.toUri().toURL()};
            }
            return new URLClassLoader(urls, JavaMigrationPath.class.getClassLoader());
        } catch (IOException e) {
            throw new UsageException("Option [--java-migrations]: [" + path + "] cannot be read: " + e.getMessage());
        }
    }
}
