package org.lockstep.internal.sqlite;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@code jdbc:sqlite:} URL names, read the way the xerial driver and SQLite read it: a
 * file, or a database in memory that lives only as long as a connection to it.
 *
 * <p>In memory: an empty name (SQLite's private temporary database), {@code :memory:},
 * {@code file::memory:}, and any URI with {@code mode=memory}
 * (https://www.sqlite.org/inmemorydb.html). Each new connection to a private one is a new,
 * empty database; a shared-cache one ({@code cache=shared}) lasts while any connection to it
 * is open. Either way, a new connection per attempt would lose every attempt's work, so
 * Lockstep keeps one connection open for it.
 *
 * @param file the database file, if the URL names one on the file system
 * @param inMemory whether the database lives in memory
 */
record SqliteUrl(Optional<Path> file, boolean inMemory) {
    static final String PREFIX = "jdbc:sqlite:";

    /**
     * Reads a {@code jdbc:sqlite:} URL.
     *
     * @param url the URL
     * @return what it names; neither a file nor memory for a form it does not know (resources)
     */
    static SqliteUrl parse(String url) {
        String name = url.startsWith(PREFIX) ? url.substring(PREFIX.length()) : url;
        if (name.isEmpty()
                || name.startsWith(":memory:")
                || name.startsWith("file::memory:")
                || name.matches("(?s).*[?&](mode=memory|vfs=memdb)(&.*)?")) {
            return new SqliteUrl(Optional.empty(), true);
        }
        if (name.startsWith(":resource:")) {
            return new SqliteUrl(Optional.empty(), false);
        }
        int query = name.indexOf('?');
        String path = query < 0 ? name : name.substring(0, query);
        try {
            if (path.startsWith("file:")) {
                // A URI filename (https://www.sqlite.org/uri.html): file:/a/b, file:///a/b,
                // file://localhost/a/b, or a relative file:a/b; percent-escapes decoded.
                String rest = path.substring("file:".length());
                if (rest.startsWith("//")) {
                    URI uri = new URI(path);
                    String host = uri.getAuthority();
                    if (host != null && !host.isEmpty() && !host.equals("localhost")) {
                        return new SqliteUrl(Optional.empty(), false);
                    }
                    return new SqliteUrl(Optional.of(Path.of(uri.getPath())), false);
                }
                return new SqliteUrl(Optional.of(Path.of(decode(rest))), false);
            }
            return new SqliteUrl(Optional.of(Path.of(path)), false);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new SqliteUrl(Optional.empty(), false);
        }
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
