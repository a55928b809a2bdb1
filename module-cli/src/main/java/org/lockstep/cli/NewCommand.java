package org.lockstep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.lockstep.MigrationLocation;
import org.lockstep.ScriptFile;

/**
 * {@code new NAME}: creates the next numbered script in the migrations folder, named like the
 * newest script there ({@code 004_name.sql} after {@code 003_x.sql}, {@code V4__name.sql} after
 * {@code V3.1__x.sql}), and never overwrites a file.
 */
final class NewCommand implements Command {
    // How long a command waits for other new commands on the same folder: each holds its turn
    // for one listing and one file creation, milliseconds unless the machine is badly overloaded.
    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(30);
    // Creations tried when the chosen name turns out to exist (made by a writer without a turn).
    private static final int MAX_ATTEMPTS = 3;

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
                zero padding, or the V..__ style). NAME keeps its letters and digits, of any
                alphabet; other characters become underscores. Checks the existing scripts first;
                never overwrites a file; refuses when the highest major version is the largest a
                version can have (9223372036854775807). Concurrent new commands on one folder take
                turns, so each gets its own version. Prints the new file's path.
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
        String slug = slug(name);
        if (slug.isEmpty()) {
            throw new UsageException("Name [" + name + "] has no letters or digits");
        }
        Path folder = options.migrationsFolder();
        if (!Files.isDirectory(folder)) {
            throw new UsageException(
                    "Migration folder [" + folder + "] does not exist; Lockstep does not create" + " folders");
        }
        Created created;
        FolderLock turn = FolderLock.acquire(folder, TURN_TIMEOUT);
        try {
            created = create(folder, slug, comment(name));
        } finally {
            turn.release();
        }
        if (options.has(Options.JSON)) {
            out.println("{\"created\":" + Json.string(created.file().toString()) + ",\"version\":"
                    + Json.string(created.version()) + "}");
        } else if (!options.has(Options.QUIET)) {
            out.println("Created " + created.file());
        }
        return ExitCode.OK;
    }

    /** The script created and its version as written in its name. */
    private record Created(Path file, String version) {}

    // Called while this command holds the folder's turn, so no other new command creates a
    // script between the listing and the creation. CREATE_NEW still guards against every other
    // writer (an editor, a checkout, a new command that does not share the turn): when the name
    // is taken, the next listing sees that file and picks a higher version.
    private static Created create(Path folder, String slug, String comment) throws UsageException {
        for (int attempt = 1; ; attempt++) {
            Optional<ScriptFile> newest = newestScript(folder);
            String version = nextVersion(newest);
            String prefix = newest.map(ScriptFile::fileName)
                            .filter(script -> script.startsWith("V"))
                            .isPresent()
                    ? "V" + version + "__"
                    : version + "_";
            Path file;
            try {
                file = folder.resolve(prefix + slug + ".sql");
            } catch (InvalidPathException e) {
                throw new UsageException("Name [" + slug + "] cannot be a file name here (file names are encoded as ["
                        + System.getProperty("sun.jnu.encoding") + "]; a UTF-8 locale such as LANG=C.UTF-8 allows"
                        + " every letter): " + e.getMessage());
            }
            try {
                Files.writeString(
                        file,
                        "-- " + comment + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return new Created(file, version);
            } catch (FileAlreadyExistsException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new UsageException("Script [" + file + "] already exists; not overwritten");
                }
            } catch (IOException e) {
                throw new UsageException("Cannot create script [" + file + "]: " + e);
            }
        }
    }

    // The newest script, as the library reads the folder against an empty in-memory database:
    // this checks every name and parses every version without touching a real database. The
    // one place that lists the folder, so that a listing API can replace it.
    // The scripts as the library reads their names (the naming rule, unique versions); no
    // file is read and no database opened. An empty folder means the first script is due.
    private static Optional<ScriptFile> newestScript(Path folder) {
        return new MigrationLocation.Directory(folder)
                .scripts().stream().filter(script -> !script.isRepeatable()).reduce((older, newer) -> newer);
    }

    // The next major version, padded with zeros to the width the newest script's major part has.
    // A version part is a long (MigrationVersion.parse refuses larger), so the largest has no next.
    private static String nextVersion(Optional<ScriptFile> newest) throws UsageException {
        if (newest.isEmpty()) {
            return "001";
        }
        String major = newest.get().version().orElseThrow().toString().split("\\.")[0];
        long next;
        try {
            next = Math.addExact(Long.parseLong(major), 1);
        } catch (ArithmeticException e) {
            throw new UsageException("No version after script [" + newest.get().fileName() + "]: its major version ["
                    + major + "] is the largest a version can have; give the new script a name by hand");
        }
        String text = Long.toString(next);
        return "0".repeat(Math.max(0, major.length() - text.length())) + text;
    }

    // NAME's letters and digits, of any alphabet, with the combining marks that follow them
    // (Devanagari's vowel signs, for one), after NFC normalisation so that a decomposed Ü is
    // one letter; every other run of characters becomes one underscore, none at either end.
    static String slug(String name) {
        String text = Normalizer.normalize(name, Normalizer.Form.NFC);
        StringBuilder slug = new StringBuilder(text.length());
        boolean inWord = false;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int c = text.codePointAt(i);
            if (isLetterOrNumber(c) || inWord && isMark(c)) {
                slug.appendCodePoint(c);
                inWord = true;
            } else {
                if (inWord) {
                    slug.append('_');
                }
                inWord = false;
            }
        }
        int end = slug.length();
        while (end > 0 && slug.charAt(end - 1) == '_') {
            end--;
        }
        return slug.substring(0, end);
    }

    private static boolean isLetterOrNumber(int c) {
        switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return true;
            default:
                return false;
        }
    }

    private static boolean isMark(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    // The script's first line, a comment with the name as given: line breaks and other control
    // characters become spaces, so no part of the name can end the comment and become SQL.
    private static String comment(String name) {
        return name.strip().replaceAll("[\\p{Cc}\\u2028\\u2029]+", " ");
    }
}
