package com.example.plain;

import java.sql.Connection;
import java.sql.SQLException;
import java.text.Normalizer;
import org.lockstep.ConnectionInitializer;
import org.sqlite.Function;

/** Registers normalize(text) (Unicode NFC) on every connection; not a module, found by META-INF/services. */
public final class NormalizeOnConnections implements ConnectionInitializer {
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
