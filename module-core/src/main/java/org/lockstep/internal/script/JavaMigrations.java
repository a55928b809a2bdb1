package org.lockstep.internal.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.lockstep.ConnectionInitializer;
import org.lockstep.InvalidScriptException;
import org.lockstep.JavaMigration;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationVersion;

/**
 * The Java migrations and connection initializers of a configuration: those handed to its
 * builder, then those found as services in the layer or class loader it names. Each service is
 * instantiated once, when this is made. Every fault (a provider that cannot be instantiated, a
 * migration without a version or a description) is an {@link InvalidScriptException} naming the
 * class, raised before any database is opened.
 *
 * @param migrations the Java migrations as scripts to run, in no particular order
 * @param initializers the connection initializers, in the order found
 */
public record JavaMigrations(List<MigrationScript> migrations, List<ConnectionInitializer> initializers) {

    /** Copies the lists. */
    public JavaMigrations {
        migrations = List.copyOf(migrations);
        initializers = List.copyOf(initializers);
    }

    /**
     * Finds what the configuration gives.
     *
     * @param config the configuration
     * @return what it gives
     * @throws InvalidScriptException if a service cannot be loaded or a migration is unusable
     */
    public static JavaMigrations of(MigrationConfig config) {
        List<JavaMigration> code = new ArrayList<>(config.javaMigrations());
        List<ConnectionInitializer> initializers = new ArrayList<>(config.connectionInitializers());
        String where = config.serviceLayer()
                .map(layer -> "module layer " + layer)
                .or(() -> config.serviceClassLoader().map(loader -> "class loader " + loader))
                .orElse(null);
        if (where != null) {
            code.addAll(services(config, JavaMigration.class, where));
            initializers.addAll(services(config, ConnectionInitializer.class, where));
        }
        List<MigrationScript> migrations = new ArrayList<>(code.size());
        for (JavaMigration migration : code) {
            migrations.add(script(migration));
        }
        return new JavaMigrations(migrations, initializers);
    }

    private static <S> List<S> services(MigrationConfig config, Class<S> type, String where) {
        ServiceLoader<S> loader = config.serviceLayer().isPresent()
                ? ServiceLoader.load(config.serviceLayer().get(), type)
                : ServiceLoader.load(type, config.serviceClassLoader().orElseThrow());
        List<S> found = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<S> provider : loader.stream().toList()) {
                try {
                    found.add(provider.get());
                } catch (ServiceConfigurationError e) {
                    throw unusable(provider.type().getName(), type, "cannot be instantiated: " + cause(e), e);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new InvalidScriptException(
                    where,
                    "A " + type.getSimpleName() + " service of [" + where + "] cannot be loaded: " + cause(e),
                    e);
        }
        return found;
    }

    private static String cause(Throwable e) {
        Throwable root = e.getCause() != null ? e.getCause() : e;
        return root.toString();
    }

    private static InvalidScriptException unusable(String className, Class<?> type, String why, Throwable cause) {
        String kind = type == JavaMigration.class ? "Java migration" : "Connection initializer";
        return new InvalidScriptException("class " + className, kind + " [" + className + "] " + why, cause);
    }

    private static MigrationScript script(JavaMigration migration) {
        String className = migration.getClass().getName();
        MigrationVersion version;
        String description;
        String checksum;
        try {
            version = migration.version();
            description = migration.description();
            checksum = migration.checksum();
        } catch (RuntimeException e) {
            throw unusable(className, JavaMigration.class, "cannot say what it is: " + e, e);
        }
        if (version == null) {
            throw unusable(className, JavaMigration.class, "has no version: version() returned null", null);
        }
        if (description == null || description.isBlank()) {
            throw unusable(className, JavaMigration.class, "has no description: description() is blank", null);
        }
        if (checksum == null) {
            throw unusable(className, JavaMigration.class, "has no checksum: checksum() returned null", null);
        }
        Module module = migration.getClass().getModule();
        String source = "class " + className + (module.isNamed() ? " in module " + module.getName() : "");
        return new MigrationScript(version, description.strip(), className, source, checksum, List.of(), migration);
    }

    /**
     * Puts the Java migrations among the scripts, checking that no version is taken twice.
     *
     * @param scripts the scripts, in {@link MigrationScript#ORDER}
     * @return scripts and Java migrations, in {@link MigrationScript#ORDER}
     * @throws InvalidScriptException if a Java migration's version is a script's or another's
     */
    public List<MigrationScript> among(List<MigrationScript> scripts) {
        if (migrations.isEmpty()) {
            return scripts;
        }
        Map<MigrationVersion, MigrationScript> byVersion = new HashMap<>();
        for (MigrationScript script : scripts) {
            if (!script.repeatable()) {
                byVersion.put(script.version(), script);
            }
        }
        List<MigrationScript> all = new ArrayList<>(scripts);
        for (MigrationScript migration : migrations) {
            MigrationScript previous = byVersion.putIfAbsent(migration.version(), migration);
            if (previous != null) {
                throw new InvalidScriptException(
                        migration.source(),
                        "Duplicate version [" + migration.version() + "] in Java migration [" + migration.fileName()
                                + "] and "
                                + (previous.java()
                                        ? "Java migration [" + previous.fileName()
                                        : "script [" + previous.source())
                                + "]",
                        null);
            }
            all.add(migration);
        }
        all.sort(MigrationScript.ORDER);
        return List.copyOf(all);
    }

    /** Returns true if there are neither Java migrations nor initializers. */
    public boolean isEmpty() {
        return migrations.isEmpty() && initializers.isEmpty();
    }
}
