package org.lockstep.internal.protocol;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the protocol logs while this is open, at every level: the build's logging configuration
 * keeps tests at WARNING, so a test that checks a log line lowers the protocol's logger for its
 * own calls, and puts it back when closed.
 */
final class ProtocolLog implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(MigrationProtocol.class.getName());

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Level levelWas = LOGGER.getLevel();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private ProtocolLog() {
        LOGGER.setLevel(Level.ALL);
        LOGGER.addHandler(handler);
    }

    /** Starts capturing. */
    static ProtocolLog capture() {
        return new ProtocolLog();
    }

    /** What was logged so far. */
    List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Forgets what was logged so far. */
    void clear() {
        records.clear();
    }

    @Override
    public void close() {
        LOGGER.removeHandler(handler);
        LOGGER.setLevel(levelWas);
    }
}
