package org.lockstep.tests.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * SQLite's native library taken out of the driver's jar once, ahead of a child JVM that could
 * not write it itself (under a file-size limit smaller than the library, the driver's own
 * extraction to the temporary folder fails before any database is opened).
 */
final class NativeSqlite {
    private static final String LIBRARY = "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so";

    private NativeSqlite() {}

    /** The JVM options that point the driver at the library, copied into {@code folder}. */
    static List<String> jvmOptions(Path folder) throws IOException {
        Path jar;
        try {
            jar = Path.of(org.sqlite
                    .JDBC
                    .class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path target = Files.createDirectories(folder).resolve("libsqlitejdbc.so");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(LIBRARY);
            if (entry == null) {
                throw new IOException(jar + " has no " + LIBRARY);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return List.of("-Dorg.sqlite.lib.path=" + folder, "-Dorg.sqlite.lib.name=libsqlitejdbc.so");
    }
}
