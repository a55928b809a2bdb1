package org.lockstep.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * What the figures were measured on.
 *
 * @param cores the processors available to the JVM
 * @param os the operating system, version and architecture
 * @param jdk the Java runtime's version, VM and vendor
 * @param maxHeapMebibytes the JVM's maximum heap
 * @param sqlite SQLite's own version, from {@code select sqlite_version()}
 * @param driver the JDBC driver's name and version
 * @param runtime where the benchmark runs: the runtime image and its launcher's JVM options, or a plain JVM
 * @param loadAverage the 1, 5 and 15 minute load averages when the benchmark started; empty where unknown
 */
record Machine(
        int cores,
        String os,
        String jdk,
        long maxHeapMebibytes,
        String sqlite,
        String driver,
        String runtime,
        String loadAverage) {

    /**
     * Describes this machine.
     *
     * @param env the environment, for {@code LOCKSTEP_JAVA_OPTIONS}
     * @return the description
     * @throws SQLException if SQLite cannot be asked its version
     */
    static Machine describe(Map<String, String> env) throws SQLException {
        String sqlite;
        String driver;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select sqlite_version()")) {
            rs.next();
            sqlite = rs.getString(1);
            driver = connection.getMetaData().getDriverName() + " "
                    + connection.getMetaData().getDriverVersion();
        }
        Path home = Path.of(System.getProperty("java.home"));
        String runtime = Files.isExecutable(home.resolve("bin").resolve("lockstep"))
                ? "runtime image " + home + " (its launcher runs -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                        + Optional.ofNullable(env.get("LOCKSTEP_JAVA_OPTIONS"))
                                .map(o -> ", then " + o)
                                .orElse("")
                        + ")"
                : "JVM at " + home + " (not a runtime image)";
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor")
                        + ")",
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                sqlite,
                driver,
                runtime,
                readLoadAverage());
    }

    private static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
                    .split(" ");
            return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
