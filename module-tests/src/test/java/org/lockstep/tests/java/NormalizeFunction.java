package org.lockstep.tests.java;

import java.sql.Connection;
import java.sql.SQLException;
import java.text.Normalizer;
import org.lockstep.ConnectionInitializer;
import org.sqlite.Function;

/**
 * Registers {@code normalize(text)} (Unicode NFC) on every connection through the SQLite driver,
 * as an application whose scripts call it does. Listed in
 * {@code META-INF/services/org.lockstep.ConnectionInitializer} of the test class path.
 */
public final class NormalizeFunction implements ConnectionInitializer {
    @Override
    public void initialize(Connection connection) throws SQLException {
        Function.create(connection, "normalize", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String text = value_text(0);
                result(text == null ? null : Normalizer.normalize(text, Normalizer.Form.NFC));
            }
        });
    }
}
