package org.lockstep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationInfo;
import org.lockstep.Migrator;

/**
 * {@code new NAME}: creates the next numbered script in the migrations folder, named like the
 * newest script there ({@code 004_name.sql} after {@code 003_x.sql}, {@code V4__name.sql} after
 * {@code V3.1__x.sql}), and never overwrites a file.
 */
final class NewCommand implements Command {
    @Override
    public String name() {
        return "new";
    }

    @Override
    public String summary() {
        return "create the next numbered script in the migrations folder";
    }

    @Override
    public String arguments() {
        return "NAME [OPTIONS]";
    }

    @Override
    public String description() {
        return """
                Creates an empty script for the next major version, after the highest one in the
                folder, named like the newest script (001_NAME.sql if the folder is empty; the same
                zero padding, or the V..__ style). NAME's spaces and punctuation become underscores.
                Checks the existing scripts first; never overwrites a file. Prints the new file's path.
                """;
    }

    @Override
    public List<Options.Spec> options() {
        return List.of(Options.MIGRATIONS, Options.JSON, Options.QUIET, Options.HELP);
    }

    @Override
    public int positionals() {
        return 1;
    }

    @Override
    public ExitCode run(Options options, PrintWriter out, PrintWriter err) throws UsageException {
        if (options.positional().isEmpty()) {
            throw new UsageException("No name: give the new script's NAME, e.g. lockstep new add_users");
        }
        String name = options.positional().get(0);
        String slug = name.strip().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (slug.isEmpty()) {
            throw new UsageException("Name [" + name + "] has no letters or digits");
        }
        Path folder = options.migrationsFolder();
        if (!Files.isDirectory(folder)) {
            throw new UsageException("Migration folder [" + folder + "] does not exist; Lockstep does not create"
                    + " folders");
        }
        // The scripts as the library reads them, against an empty in-memory database: this
        // checks every name and parses every version without touching a real database. The
        // library refuses a folder without scripts; here that means the first one is due.
        List<MigrationInfo> scripts = !holdsScripts(folder) ? List.of() : Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite::memory:").location(folder).build()).status();
        Optional<MigrationInfo> newest = scripts.stream().max(Comparator.comparing(MigrationInfo::version));
        String version = nextVersion(newest);
        String prefix = newest.map(MigrationInfo::script).filter(script -> script.startsWith("V")).isPresent()
                ? "V" + version + "__" : version + "_";
        Path file = folder.resolve(prefix + slug + ".sql");
        try {
            Files.writeString(file, "-- " + name.strip() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new UsageException("Script [" + file + "] already exists; not overwritten");
        } catch (IOException e) {
            throw new UsageException("Cannot create script [" + file + "]: " + e);
        }
        if (options.has(Options.JSON)) {
            out.println("{\"created\":" + Json.string(file.toString()) + ",\"version\":" + Json.string(version) + "}");
        } else if (!options.has(Options.QUIET)) {
            out.println("Created " + file);
        }
        return ExitCode.OK;
    }

    private static boolean holdsScripts(Path folder) throws UsageException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".sql") && !Files.isDirectory(file));
        } catch (IOException e) {
            throw new UsageException("Migration folder [" + folder + "] cannot be read: " + e);
        }
    }

    // The next major version, padded with zeros to the width the newest script's major part has.
    private static String nextVersion(Optional<MigrationInfo> newest) {
        if (newest.isEmpty()) {
            return "001";
        }
        String major = newest.get().version().toString().split("\\.")[0];
        String next = Long.toString(Long.parseLong(major) + 1);
        return "0".repeat(Math.max(0, major.length() - next.length())) + next;
    }
}
