package org.lockstep.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.lockstep.Migrator;

/**
 * The command line that starts another process of this same command: the same {@code java}
 * and, when this JVM runs the command as a module ({@code -m org.lockstep.cli...}, as the
 * runtime image's launcher and {@code java -p ... -m} do), the same JVM options. Otherwise (the
 * tool runs in-process, on a class path) it builds {@code -p MODULE_PATH -m
 * org.lockstep.cli/org.lockstep.cli.Main} from where the command, the library and the driver
 * were loaded, keeping the options that say where SQLite's native library and the class-data
 * archive are.
 */
final class SelfCommand {
    private static final String MODULE = "org.lockstep.cli";
    private static final String MAIN = MODULE + "/org.lockstep.cli.Main";
    private static final List<String> KEPT_OPTIONS = List.of(
            "-Dorg.sqlite.lib.", "-Dorg.sqlite.tmpdir=", "-Djava.io.tmpdir=", "-XX:SharedArchiveFile=", "-Xshare:");

    private SelfCommand() {}

    /** Returns the command line to which a command's arguments are appended. */
    static List<String> current() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String java = info.command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> args = info.arguments().map(List::of).orElse(List.of());
        List<String> command = new ArrayList<>();
        command.add(java);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("-m") || arg.equals("--module"))
                    && i + 1 < args.size()
                    && args.get(i + 1).startsWith(MODULE)) {
                command.addAll(args.subList(0, i + 2));
                return command;
            }
            if (arg.startsWith("--module=" + MODULE)) {
                command.addAll(args.subList(0, i + 1));
                return command;
            }
        }
        for (String arg : args) {
            if (KEPT_OPTIONS.stream().anyMatch(arg::startsWith)) {
                command.add(arg);
            }
        }
        command.add("-p");
        command.add(modulePath());
        command.add("-m");
        command.add(MAIN);
        return command;
    }

    private static String modulePath() {
        Set<String> path = new LinkedHashSet<>();
        for (Class<?> member : List.of(SelfCommand.class, Migrator.class, org.sqlite.JDBC.class)) {
            CodeSource source = member.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                throw new EnvironmentException("Cannot tell where [" + member.getName() + "] was loaded from, so"
                        + " cannot start worker processes; run lockstep with java -p MODULE_PATH -m " + MAIN);
            }
            try {
                path.add(Path.of(source.getLocation().toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new EnvironmentException(
                        "Cannot start worker processes from [" + source.getLocation() + "]: " + e.getMessage(), e);
            }
        }
        return String.join(java.io.File.pathSeparator, path);
    }
}
