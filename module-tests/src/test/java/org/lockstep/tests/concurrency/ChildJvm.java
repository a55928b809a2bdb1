package org.lockstep.tests.concurrency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker process: a JVM that runs the built command from its module path (the layout
 * {@code module-cli/target/modules}), gated by {@link GatedWorker}. Each child gets a private
 * temporary folder, because the SQLite driver extracts its native library there on every
 * start and a killed child leaves it behind. Public for the PostgreSQL tests, whose children
 * also need PostgreSQL's driver on their class path.
 */
public final class ChildJvm {
    private final Process process;
    private final BufferedReader stdout;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.log = log;
    }

    static Path modulePath() {
        String path = System.getProperty("lockstep.modulePath");
        if (path == null || !Files.isDirectory(Path.of(path))) {
            throw new IllegalStateException("lockstep.modulePath [" + path + "] is not a folder; run the build"
                    + " through Maven so module-cli is packaged first");
        }
        return Path.of(path);
    }

    // Only the gate class goes on the class path: the command and its driver must come
    // from the module path, as they do for users.
    private static Path testClasses() {
        try {
            return Path.of(GatedWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a gated child that runs {@code lockstep args...} once its gate opens. */
    public static ChildJvm start(Path workDir, String name, List<String> args) throws IOException {
        return start(workDir, name, args, List.of());
    }

    /**
     * Starts a gated child with more entries on its class path: a JDBC driver that is not an
     * explicit module (PostgreSQL's), found there by {@link java.sql.DriverManager}.
     */
    public static ChildJvm start(Path workDir, String name, List<String> args, List<Path> classPath)
            throws IOException {
        Path tmp = Files.createDirectories(workDir.resolve("tmp-" + name));
        Path log = workDir.resolve(name + ".err");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-p");
        command.add(modulePath().toString());
        command.add("--add-modules");
        command.add("org.lockstep.cli");
        command.add("-cp");
        List<String> entries = new ArrayList<>();
        entries.add(testClasses().toString());
        classPath.forEach(entry -> entries.add(entry.toString()));
        command.add(String.join(java.io.File.pathSeparator, entries));
        command.add(GatedWorker.class.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ChildJvm(process, log);
    }

    /** Blocks until the child printed {@code ready}. */
    public void awaitReady() throws IOException {
        String line = stdout.readLine();
        if (!"ready".equals(line)) {
            throw new IllegalStateException("child did not get ready; printed [" + line + "], stderr: " + stderr());
        }
    }

    /** Opens the child's gate. */
    public void release() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('g');
        in.flush();
    }

    /** Waits for the child to exit, reads the rest of its output, returns its exit code. */
    public int awaitExit(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child hung for " + seconds + " s; stderr: " + stderr());
        }
        return process.exitValue();
    }

    /** Reads what the child printed after {@code ready}. */
    public String output() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    public Process process() {
        return process;
    }

    public String stderr() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
