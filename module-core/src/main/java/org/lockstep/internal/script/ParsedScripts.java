package org.lockstep.internal.script;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Scripts already split into statements, by dialect, source and text, so that a script is
 * split once however many calls load it: splitting is most of the cost of loading, and the
 * up-to-date path loads every script.
 *
 * <p>{@link #PROCESS} is shared by every {@code Migrator} of the process. Twenty threads of one
 * application that each make a {@code Migrator} and call {@code migrate()} at boot load the
 * same scripts at the same moment; a script that one of them is splitting is waited for by the
 * others (a per-key {@link ConcurrentMap#computeIfAbsent}), not split again: in a herd of 20
 * threads on the bench's 50 scripts, the 19 losers together spent more CPU splitting them than
 * the winner spent on the deploy (measured per thread with {@code ThreadMXBean}). What
 * the key names cannot differ: the split depends on the dialect and the text only, and the
 * rest of a {@link MigrationScript} on the source, whose file name is in it.
 *
 * <p>Bounded by the characters of the scripts it holds, not their number: a process that loads
 * more than that (edited scripts in a long-lived development process, thousands of generated
 * ones in a test suite) drops everything and starts again, which costs a split per script, never
 * a wrong answer.
 */
public final class ParsedScripts {
    /** The cache of this process. */
    public static final ParsedScripts PROCESS = new ParsedScripts(8L << 20);

    private final long maxChars;
    private final ConcurrentMap<String, MigrationScript> scripts = new ConcurrentHashMap<>();
    private final AtomicLong chars = new AtomicLong();

    /**
     * A cache of its own, for a caller that must not share (a test that edits files between
     * loads and counts splits).
     *
     * @param maxChars the characters of script text held before everything is dropped
     */
    public ParsedScripts(long maxChars) {
        this.maxChars = maxChars;
    }

    /**
     * Returns the script under {@code key}, splitting it if no call has yet (and dropping
     * everything held if that passes the bound); concurrent calls for one key split it once.
     *
     * @param key dialect, source and text, as {@link ScriptLoader} makes it
     * @param length the characters of the script's text, which it counts against the bound
     * @param splitter splits the script; its exceptions pass through, and nothing is kept
     * @return the script
     */
    MigrationScript get(String key, int length, Supplier<MigrationScript> splitter) {
        MigrationScript known = scripts.get(key);
        if (known != null) {
            return known;
        }
        MigrationScript script = scripts.computeIfAbsent(key, k -> {
            MigrationScript split = splitter.get();
            chars.addAndGet(length);
            return split;
        });
        if (chars.get() > maxChars) {
            // Approximate under concurrency: a script added between the two lines is not counted.
            scripts.clear();
            chars.set(0);
        }
        return script;
    }

    /** The number of scripts held, for tests. */
    int size() {
        return scripts.size();
    }
}
