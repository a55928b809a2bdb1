package com.example.notes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.lockstep.JavaMigration;
import org.lockstep.MigrationVersion;

/** Splits users.name into first and last, and counts its runs in migration_runs. */
public final class V2SplitNames implements JavaMigration {
    @Override
    public MigrationVersion version() {
        return MigrationVersion.parse("2");
    }

    @Override
    public String description() {
        return "split names";
    }

    @Override
    public void migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE users ADD COLUMN first TEXT");
            statement.execute("ALTER TABLE users ADD COLUMN last TEXT");
            statement.execute("INSERT INTO migration_runs (what) VALUES ('split names')");
        }
        try (Statement read = connection.createStatement();
                ResultSet rs = read.executeQuery("SELECT id, name FROM users");
                PreparedStatement write =
                        connection.prepareStatement("UPDATE users SET first = ?, last = ? WHERE id = ?")) {
            while (rs.next()) {
                String name = rs.getString(2);
                int space = name.indexOf(' ');
                write.setString(1, space < 0 ? name : name.substring(0, space));
                write.setString(2, space < 0 ? "" : name.substring(space + 1));
                write.setLong(3, rs.getLong(1));
                write.executeUpdate();
            }
        }
    }
}
