package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every form of {@code jdbc:sqlite:} URL, read as the driver and SQLite read it: the file it
 * names (what the absent-database check, the lock-holder lookup and the file-system warning
 * look at), or memory (what makes Lockstep keep one connection), or neither.
 */
final class SqliteUrlTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "jdbc:sqlite:                                         | -                 | true",
                "jdbc:sqlite::memory:                                 | -                 | true",
                "jdbc:sqlite::memory:?cache=shared                    | -                 | true",
                "jdbc:sqlite:file::memory:?cache=shared               | -                 | true",
                "jdbc:sqlite:file:app?mode=memory&cache=shared        | -                 | true",
                "jdbc:sqlite:file:app?cache=shared&mode=memory        | -                 | true",
                "jdbc:sqlite:file:app?vfs=memdb                       | -                 | true",
                "jdbc:sqlite:file:/app?cache=shared&vfs=memdb         | -                 | true",
                "jdbc:sqlite:file:app?mode=memoryx                    | app               | false",
                "jdbc:sqlite::resource:db/app.db                      | -                 | false",
                "jdbc:sqlite:/srv/app.db                              | /srv/app.db       | false",
                "jdbc:sqlite:/srv/app.db?journal_mode=WAL             | /srv/app.db       | false",
                "jdbc:sqlite:data/app.db                              | data/app.db       | false",
                "/srv/app.db                                          | /srv/app.db       | false",
                "jdbc:sqlite:file:/srv/app.db                         | /srv/app.db       | false",
                "jdbc:sqlite:file:data/my%20app+1.db?mode=ro          | data/my app+1.db  | false",
                "jdbc:sqlite:file:///srv/my%20app.db                  | /srv/my app.db    | false",
                "jdbc:sqlite:file://localhost/srv/app.db              | /srv/app.db       | false",
                "jdbc:sqlite:file://db.example.com/srv/app.db         | -                 | false",
                "jdbc:sqlite:file://bad host/srv/app.db               | -                 | false",
            })
    void aUrlNamesAFileMemoryOrNeither(String url, String file, boolean inMemory) {
        assertEquals(new SqliteUrl(Optional.ofNullable(file).map(Path::of), inMemory), SqliteUrl.parse(url.strip()));
    }
}
