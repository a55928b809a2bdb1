package com.example.broken;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.lockstep.JavaMigration;
import org.lockstep.MigrationVersion;

/** Does its work, then tries to commit it on its own. */
public final class V2CommitsEarly implements JavaMigration {
    @Override
    public MigrationVersion version() {
        return MigrationVersion.parse("2");
    }

    @Override
    public String description() {
        return "commits early";
    }

    @Override
    public void migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO migration_runs (what) VALUES ('commits early')");
        }
        connection.commit();
    }
}
