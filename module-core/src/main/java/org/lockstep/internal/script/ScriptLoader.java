package org.lockstep.internal.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationLocation;
import org.lockstep.MigrationVersion;
import org.lockstep.ScriptFile;
import org.lockstep.internal.sql.RefusedStatementException;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;
import org.lockstep.internal.sql.SqlSyntaxException;

/**
 * Finds, reads and parses the scripts of a set of locations, and checks the rules that
 * need no database: every location exists and holds at least one script, names, unique
 * versions, UTF-8, closed strings and comments, allowed statements. Every failure is an
 * {@link InvalidScriptException} naming the file or location.
 *
 * <p>A location without scripts is an error because it is almost always a mistake (a typo in
 * a resource folder's name, the wrong working directory) that would otherwise report the
 * database up to date and migrate nothing.
 */
public final class ScriptLoader {
    private static final System.Logger LOG = System.getLogger(ScriptLoader.class.getName());

    // The latest read of each set of locations in this process, under way or done (read); one
    // that failed is removed. A done read is kept only while a call is under way (CALLS), since
    // only a call that began before it may take it, and is dropped when the last call ends (it
    // may hold a class loader, and scripts' text) or when there are more than KEPT_READS.
    private static final ConcurrentMap<List<MigrationLocation>, Reading> READING = new ConcurrentHashMap<>();
    private static final int KEPT_READS = 16;
    private static final AtomicInteger CALLS = new AtomicInteger();

    private ScriptLoader() {}

    /** One found file: its name, where it was found, and how to read it. */
    private record Found(String fileName, String source, ByteSource bytes) {}

    @FunctionalInterface
    private interface ByteSource {
        byte[] read() throws IOException;
    }

    /**
     * Loads every SQLite script of the locations, in version order.
     *
     * @param locations where to look
     * @return the scripts, sorted by version
     * @throws InvalidScriptException if a location is missing or a script breaks a rule
     */
    public static List<MigrationScript> load(List<MigrationLocation> locations) {
        return load(locations, ParsedScripts.PROCESS, () -> ScriptDialect.SQLITE);
    }

    /**
     * Loads every script of the locations, in version order, reusing what {@code parsed}
     * holds for a script whose text has not changed (same dialect, source and text).
     * Names, versions and UTF-8 are checked first; only then is the dialect asked for (which
     * may mean opening a connection to learn the database product), and the scripts split
     * and checked in that dialect.
     *
     * @param locations where to look
     * @param parsed scripts split before; updated
     * @param dialect gives the scripts' dialect; called at most once
     * @return the scripts, sorted by version
     * @throws InvalidScriptException if a location is missing or a script breaks a rule
     */
    public static List<MigrationScript> load(
            List<MigrationLocation> locations, ParsedScripts parsed, Supplier<ScriptDialect> dialect) {
        return load(locations, parsed, dialect, System.nanoTime());
    }

    /**
     * Loads as {@link #load(List, ParsedScripts, Supplier)} does, for a call that began at
     * {@code called}: another thread's read of the same locations is shared only if it began
     * after that.
     *
     * @param locations where to look
     * @param parsed scripts split before; updated
     * @param dialect gives the scripts' dialect; called at most once
     * @param called the {@link System#nanoTime()} at which the call that loads began
     * @return the scripts, sorted by version
     * @throws InvalidScriptException if a location is missing or a script breaks a rule
     */
    public static List<MigrationScript> load(
            List<MigrationLocation> locations, ParsedScripts parsed, Supplier<ScriptDialect> dialect, long called) {
        List<Named> named = read(locations, called);
        List<MigrationScript> scripts = new ArrayList<>(named.size());
        ScriptDialect scriptDialect = named.isEmpty() ? ScriptDialect.SQLITE : dialect.get();
        for (Named script : named) {
            scripts.add(parse(script, scriptDialect, parsed));
        }
        scripts.sort(MigrationScript.ORDER);
        return scripts;
    }

    /**
     * Lists, names and reads the scripts of the locations, or takes the result of another
     * thread's latest read of the same locations, under way or done, if it began after this
     * call did: twenty threads of one application released together read its files once, not
     * twenty times, and a script written before a call began is in what that call loads (a read
     * begun earlier may have listed the folder before it was there; a call that finds only such
     * a read reads for itself, and later calls share its read). A done read is kept for the
     * calls that began before it and load later: the threads that waited for another's turn
     * load once it is over (MigrationProtocol), all at once. A read that failed is made again by
     * each thread that waited for it, so that each call throws its own exception.
     */
    private static List<Named> read(List<MigrationLocation> locations, long called) {
        Reading mine = new Reading(System.nanoTime(), new CompletableFuture<>());
        Reading running =
                READING.compute(locations, (k, under) -> under != null && under.began() - called >= 0 ? under : mine);
        if (running != mine) {
            try {
                return running.result().join();
            } catch (CompletionException | CancellationException e) {
                return readNow(locations);
            }
        }
        try {
            List<Named> named = readNow(locations);
            mine.result().complete(named);
            if (CALLS.get() == 0) {
                READING.remove(locations, mine);
            } else if (READING.size() > KEPT_READS) {
                READING.values()
                        .removeIf(reading -> reading != mine && reading.result().isDone());
            }
            return named;
        } catch (RuntimeException | Error e) {
            mine.result().completeExceptionally(e);
            READING.remove(locations, mine);
            throw e;
        }
    }

    /**
     * Marks the start of a call that may load scripts later than it began (a {@code migrate()}
     * whose thread waits for another's turn first), so that a read another thread finishes
     * meanwhile is kept for it; {@link #callEnds()} marks its end.
     *
     * @return the {@link System#nanoTime()} at which the call began, for {@link #load}
     */
    public static long callBegins() {
        CALLS.incrementAndGet();
        return System.nanoTime();
    }

    /** Marks the end of a call {@link #callBegins()} marked; the last one drops the done reads. */
    public static void callEnds() {
        if (CALLS.decrementAndGet() == 0) {
            READING.values().removeIf(reading -> reading.result().isDone());
        }
    }

    /** The reads held, under way or done, for tests. */
    static int reads() {
        return READING.size();
    }

    /** A read of some locations under way: when it began, and what it will find. */
    private record Reading(long began, CompletableFuture<List<Named>> result) {}

    private static List<Named> readNow(List<MigrationLocation> locations) {
        List<Named> named = new ArrayList<>();
        for (NamedFile file : named(locations, false)) {
            String text = decode(file.file());
            named.add(new Named(file.file(), file.name(), text, ScriptText.checksum(text)));
        }
        return named;
    }

    /**
     * Lists the scripts of one location by name, checking the naming rule and unique versions
     * but reading no file's contents; a location that exists and holds no script gives an
     * empty list (a tool that writes the first script lists the folder first).
     *
     * @param location where to look
     * @return the scripts, sorted by version
     * @throws InvalidScriptException if the location is missing, or a name breaks the rule
     */
    public static List<ScriptFile> files(MigrationLocation location) {
        List<ScriptFile> files = new ArrayList<>();
        for (NamedFile file : named(List.of(location), true)) {
            files.add(new ScriptFile(
                    Optional.ofNullable(file.name().version()),
                    file.name().description(),
                    file.file().fileName(),
                    file.file().source()));
        }
        files.sort(Comparator.comparing(
                        (ScriptFile file) -> file.version().orElse(null),
                        Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(ScriptFile::description));
        return files;
    }

    /**
     * Reads the bytes of every versioned script of the locations, by version, checking names
     * and unique versions as {@link #load} does: for checksums other tools take of the file as
     * it is (adoption verifies them), which the parsed {@link MigrationScript} does not keep.
     * Repeatable scripts are left out.
     *
     * @param locations where to look
     * @return each script's bytes, by version
     * @throws InvalidScriptException if a location is missing, a name breaks the rule, or a
     *     file cannot be read
     */
    public static Map<MigrationVersion, byte[]> bytes(List<MigrationLocation> locations) {
        Map<MigrationVersion, byte[]> bytes = new HashMap<>();
        for (NamedFile file : named(locations, false)) {
            if (file.name().repeatable()) {
                continue;
            }
            try {
                bytes.put(file.name().version(), file.file().bytes().read());
            } catch (IOException e) {
                throw new InvalidScriptException(
                        file.file().source(), "Script [" + file.file().source() + "] cannot be read: " + e, e);
            }
        }
        return bytes;
    }

    /** A found file and its name, read by the rule. */
    private record NamedFile(Found file, ScriptName name) {}

    private static List<NamedFile> named(List<MigrationLocation> locations, boolean allowEmpty) {
        List<Found> found = new ArrayList<>();
        for (MigrationLocation location : locations) {
            List<Found> there = list(location);
            if (there.isEmpty() && !allowEmpty) {
                throw new InvalidScriptException(
                        shown(location), described(location) + " holds no scripts (no file there ends in .sql)", null);
            }
            found.addAll(there);
        }
        found.sort(Comparator.comparing(Found::fileName));
        Map<MigrationVersion, Found> byVersion = new HashMap<>();
        Map<String, Found> byDescription = new HashMap<>();
        List<NamedFile> named = new ArrayList<>(found.size());
        for (Found file : found) {
            ScriptName name = name(file);
            Found previous = name.repeatable()
                    ? byDescription.putIfAbsent(name.description(), file)
                    : byVersion.putIfAbsent(name.version(), file);
            if (previous != null) {
                throw new InvalidScriptException(
                        previous.source(),
                        (name.repeatable()
                                        ? "Duplicate repeatable script [" + name.description() + "]"
                                        : "Duplicate version [" + name.version() + "]")
                                + " in scripts [" + previous.source() + "] and [" + file.source() + "]",
                        null);
            }
            named.add(new NamedFile(file, name));
        }
        return named;
    }

    private static ScriptName name(Found file) {
        Optional<ScriptName> name;
        try {
            name = ScriptName.parse(file.fileName());
        } catch (IllegalArgumentException e) {
            throw new InvalidScriptException(
                    file.source(),
                    "Script name [" + file.source() + "] has a version" + " Lockstep cannot hold: " + e.getMessage(),
                    e);
        }
        return name.orElseThrow(() -> new InvalidScriptException(
                file.source(),
                "Script name [" + file.source()
                        + "] does not follow the rule <version>_<description>.sql (e.g. 001_create_notes.sql,"
                        + " V2__add_index.sql), or R__<description>.sql for a repeatable script (e.g. R__views.sql)",
                null));
    }

    /** A found file with a valid name, and its decoded text. */
    // A script as read, with its checksum: taken once per read, not once per thread that shares it.
    private record Named(Found file, ScriptName name, String text, String checksum) {}

    private static String decode(Found file) {
        try {
            return ScriptText.decode(file.bytes().read());
        } catch (IOException e) {
            throw new InvalidScriptException(file.source(), "Script [" + file.source() + "] cannot be read: " + e, e);
        } catch (ScriptText.MalformedException e) {
            throw new InvalidScriptException(
                    file.source(), "Script [" + file.source() + "] is not valid UTF-8: " + e.getMessage(), e);
        }
    }

    private static MigrationScript parse(Named named, ScriptDialect dialect, ParsedScripts parsed) {
        Found file = named.file();
        ScriptName name = named.name();
        String text = named.text();
        String checksum = named.checksum();
        // The checksum ignores line endings, but what runs does not: a text with a \r in it
        // is cached under its exact digest too, so an edit of line endings alone is re-split.
        String key = dialect + "\n" + file.source() + "\n" + checksum
                + (text.indexOf('\r') < 0 ? "" : "\n" + ScriptText.sha256(text));
        return parsed.get(key, text.length(), () -> split(file, name, text, checksum, dialect));
    }

    private static MigrationScript split(
            Found file, ScriptName name, String text, String checksum, ScriptDialect dialect) {
        try {
            ScriptDialect.Statements statements = dialect.statements(text);
            for (ScriptDialect.Skipped skipped : statements.skipped()) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        () -> "Script [" + file.source() + "] line ["
                                + skipped.statement().line() + "]: ["
                                + skipped.statement().excerpt() + "] skipped: " + skipped.why());
            }
            return new MigrationScript(
                    name.version(), name.description(), file.fileName(), file.source(), checksum, statements.run());
        } catch (RefusedStatementException e) {
            SqlStatement statement = e.statement();
            throw new InvalidScriptException(
                    file.source(),
                    "Script [" + file.source() + "] line [" + statement.line() + "]: statement [" + statement.excerpt()
                            + "] is not allowed: " + e.reason(),
                    null);
        } catch (SqlSyntaxException e) {
            throw unsplittable(file, e);
        }
    }

    private static InvalidScriptException unsplittable(Found file, SqlSyntaxException e) {
        return new InvalidScriptException(
                file.source(),
                "Script [" + file.source() + "] cannot be split into statements at line [" + e.line() + "]: "
                        + e.getMessage(),
                e);
    }

    private static String refused(Found file, SqlStatement statement, String reason) {
        return "Script [" + file.source() + "] line [" + statement.line() + "]: statement [" + statement.excerpt()
                + "] is not allowed: " + reason;
    }

    /**
     * A SQLite script as the linter reads it: parsed like {@link #load}, except that a statement
     * a migration may not contain is set apart instead of failing the load.
     *
     * @param script the script, without the refused statements
     * @param text its text, as decoded
     * @param refused the refused statements with the message {@code migrate} would fail with, in order
     */
    public record Lintable(MigrationScript script, String text, List<Refusal> refused) {
        /** Copies the list. */
        public Lintable {
            refused = List.copyOf(refused);
        }
    }

    /**
     * A statement a migration may not contain.
     *
     * @param statement the statement
     * @param message what {@code migrate} says about it, naming the script and line
     */
    public record Refusal(SqlStatement statement, String message) {}

    /**
     * Loads every script of the locations as SQLite scripts, in version order, for the linter:
     * every rule of {@link #load} holds except that refused statements are collected, so that all
     * of them are reported at once. Nothing is cached.
     *
     * @param locations where to look
     * @return the scripts, sorted by version
     * @throws InvalidScriptException if a location is missing or a script cannot be named, read or split
     */
    public static List<Lintable> loadForLint(List<MigrationLocation> locations) {
        List<Lintable> scripts = new ArrayList<>();
        for (NamedFile named : named(locations, false)) {
            Found file = named.file();
            String text = decode(file);
            List<SqlStatement> statements = new ArrayList<>();
            List<Refusal> refused = new ArrayList<>();
            try {
                // The whole-file checks migrate makes (the one transaction a script may wrap
                // itself in), every refusal reported rather than the first.
                statements.addAll(ScriptDialect.SQLITE
                        .statements(
                                text,
                                refusal -> refused.add(new Refusal(
                                        refusal.statement(), refused(file, refusal.statement(), refusal.reason()))))
                        .run());
            } catch (SqlSyntaxException e) {
                throw unsplittable(file, e);
            } catch (RefusedStatementException e) {
                throw new IllegalStateException("the linter's refusals are collected, never thrown", e);
            }
            MigrationScript script = new MigrationScript(
                    named.name().version(),
                    named.name().description(),
                    file.fileName(),
                    file.source(),
                    ScriptText.checksum(text),
                    statements);
            scripts.add(new Lintable(script, text, refused));
        }
        scripts.sort(Comparator.comparing(lintable -> lintable.script().version()));
        return scripts;
    }

    // What a location is called in messages: a folder by its path, as the folder checks say.
    private static String shown(MigrationLocation location) {
        return location instanceof MigrationLocation.Directory directory
                ? directory.path().toString()
                : location.describe();
    }

    private static String described(MigrationLocation location) {
        return (location instanceof MigrationLocation.Directory ? "Migration folder [" : "Migration location [")
                + shown(location) + "]";
    }

    private static List<Found> list(MigrationLocation location) {
        try {
            if (location instanceof MigrationLocation.Directory directory) {
                return listDirectory(directory.path(), directory.path().toString());
            }
            if (location instanceof MigrationLocation.ModuleResources resources) {
                Optional<List<Found>> named = listModule(resources.module(), resources.folder(), location);
                if (named.isPresent()) {
                    return named.get();
                }
                ClassLoader loader = resources.module().getClassLoader();
                return listClassLoader(
                        loader != null ? loader : ClassLoader.getSystemClassLoader(), resources.folder(), location);
            }
            MigrationLocation.ClassLoaderResources resources = (MigrationLocation.ClassLoaderResources) location;
            return listClassLoader(resources.loader(), resources.folder(), location);
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidScriptException(
                    location.describe(), "Migration location [" + location.describe() + "] cannot be read: " + e, e);
        }
    }

    private static List<Found> listDirectory(Path directory, String shownAs) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new InvalidScriptException(
                    shownAs,
                    "Migration folder [" + shownAs + "] "
                            + (Files.exists(directory) ? "is not a folder" : "does not exist"),
                    null);
        }
        List<Found> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (ScriptName.isScript(name) && !Files.isDirectory(file)) {
                    found.add(new Found(name, file.toString(), () -> Files.readAllBytes(file)));
                }
            }
        } catch (NoSuchFileException e) {
            throw new InvalidScriptException(shownAs, "Migration folder [" + shownAs + "] does not exist", e);
        }
        return found;
    }

    // ModuleReader lists every resource of a named module, open package or not, which is
    // what lets scripts ship inside an application's modular jar or a jlink image.
    private static Optional<List<Found>> listModule(Module module, String folder, MigrationLocation location)
            throws IOException {
        if (!module.isNamed() || module.getLayer() == null) {
            return Optional.empty();
        }
        Optional<ResolvedModule> resolved = module.getLayer().configuration().findModule(module.getName());
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        String prefix = folder.isEmpty() ? "" : folder + "/";
        List<Found> found = new ArrayList<>();
        boolean exists = false; // a module has no folders, only resources whose names have this prefix
        try (ModuleReader reader = resolved.get().reference().open();
                Stream<String> names = reader.list()) {
            for (String resource : (Iterable<String>) names::iterator) {
                if (!resource.startsWith(prefix)) {
                    continue;
                }
                exists = true;
                String name = resource.substring(prefix.length());
                if (!name.contains("/") && ScriptName.isScript(name)) {
                    String source = module.getName() + "/" + resource;
                    found.add(new Found(name, source, () -> readModuleResource(module, resource)));
                }
            }
        }
        if (!exists) {
            throw new InvalidScriptException(
                    location.describe(), "Migration location [" + location.describe() + "] does not exist", null);
        }
        return Optional.of(found);
    }

    private static byte[] readModuleResource(Module module, String resource) throws IOException {
        ResolvedModule resolved =
                module.getLayer().configuration().findModule(module.getName()).orElseThrow();
        try (ModuleReader reader = resolved.reference().open()) {
            Optional<InputStream> in = reader.open(resource);
            if (in.isEmpty()) {
                throw new NoSuchFileException(module.getName() + "/" + resource);
            }
            try (InputStream stream = in.get()) {
                return stream.readAllBytes();
            }
        }
    }

    private static List<Found> listClassLoader(ClassLoader loader, String folder, MigrationLocation location)
            throws IOException {
        List<Found> found = new ArrayList<>();
        Enumeration<URL> roots = loader.getResources(folder);
        boolean any = false;
        while (roots.hasMoreElements()) {
            any = true;
            URL root = roots.nextElement();
            if ("file".equals(root.getProtocol())) {
                try {
                    found.addAll(listDirectory(Path.of(root.toURI()), root.toString()));
                } catch (URISyntaxException e) {
                    throw new IOException("Bad resource URL " + root, e);
                }
            } else if ("jar".equals(root.getProtocol())) {
                found.addAll(listJar(root, folder));
            } else {
                throw new InvalidScriptException(
                        location.describe(),
                        "Migration location [" + location.describe() + "] resolves to [" + root
                                + "], which cannot be listed; use a folder or a jar",
                        null);
            }
        }
        if (!any) {
            any = listJarsWithoutFolderEntries(loader, folder, found);
        }
        if (!any) {
            throw new InvalidScriptException(
                    location.describe(), "Migration location [" + location.describe() + "] does not exist", null);
        }
        return found;
    }

    /**
     * Lists the folder in the jars of the class loader that hold its files but no entry for the
     * folder itself (some build tools and shading plugins leave directory entries out), which
     * the class loader cannot find by the folder's name: each jar is found by its manifest.
     * A jar with neither a manifest nor directory entries stays unfound.
     *
     * @return whether any jar holds a file in the folder
     */
    private static boolean listJarsWithoutFolderEntries(ClassLoader loader, String folder, List<Found> found)
            throws IOException {
        boolean any = false;
        Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            URL manifest = manifests.nextElement();
            if (!"jar".equals(manifest.getProtocol()) || !holdsFilesIn(manifest, folder)) {
                continue;
            }
            any = true;
            found.addAll(listJar(manifest, folder));
        }
        return any;
    }

    private static boolean holdsFilesIn(URL jarUrl, String folder) throws IOException {
        URLConnection connection = jarUrl.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            return false;
        }
        jarConnection.setUseCaches(false);
        try (JarFile jar = jarConnection.getJarFile()) {
            return jar.stream().anyMatch(entry -> entry.getName().startsWith(folder + "/"));
        }
    }

    private static List<Found> listJar(URL root, String folder) throws IOException {
        URLConnection connection = root.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            throw new IOException("Not a jar URL: " + root);
        }
        jarConnection.setUseCaches(false);
        String prefix = folder.isEmpty() ? "" : folder + "/";
        List<Found> found = new ArrayList<>();
        try (JarFile jar = jarConnection.getJarFile()) {
            Path jarPath = Path.of(jar.getName());
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String entryName = entry.getName();
                if (entry.isDirectory() || !entryName.startsWith(prefix)) {
                    continue;
                }
                String name = entryName.substring(prefix.length());
                if (!name.contains("/") && ScriptName.isScript(name)) {
                    found.add(new Found(
                            name, jarPath.getFileName() + "!/" + entryName, () -> readJarEntry(jarPath, entryName)));
                }
            }
        }
        return found;
    }

    private static byte[] readJarEntry(Path jarPath, String entryName) throws IOException {
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            JarEntry entry = jar.getJarEntry(entryName);
            if (entry == null) {
                throw new NoSuchFileException(jarPath + "!/" + entryName);
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }
    }
}
