package org.lockstep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * What the command prints, with the characters that would act on a terminal shown escaped: C0
 * controls other than line feed and tab ({@code \x1b}), DEL, C1 controls (U+0080 to U+009F),
 * and the bidirectional overrides and isolates (U+202A to U+202E, U+2066 to U+2069, shown as
 * a backslash, {@code u} and four hex digits) that make text display in another order than it
 * is stored. File names,
 * {@code --owner} and the history's {@code applied_by} are anyone's text; printed raw, they
 * could recolour or clear the terminal, set its title, or hide what a name really is. A
 * carriage return is kept only right before a line feed (a Windows line separator).
 *
 * <p>The command wraps standard output and standard error in it once, so every report and
 * message is covered, including exception messages that quote file names. JSON passes
 * through unchanged, because {@link Json#string} writes all of these characters as JSON's
 * backslash-u escapes.
 */
final class EscapingWriter extends Writer {
    private final Writer out;

    private EscapingWriter(Writer out) {
        this.out = out;
    }

    /** Returns a print writer, flushing at each line, that writes to {@code out} escaped. */
    static PrintWriter around(PrintWriter out) {
        return new PrintWriter(new EscapingWriter(out), true);
    }

    /** Returns the text with every character that acts on a terminal escaped. */
    static String escape(String text) {
        int first = firstToEscape(text, 0, text.length());
        if (first < 0) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        appendEscaped(text, first, text.length(), escaped);
        return escaped.toString();
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        write(new String(chars, offset, length));
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        int end = offset + length;
        int first = firstToEscape(text, offset, end);
        if (first < 0) {
            out.write(text, offset, length);
            return;
        }
        StringBuilder escaped = new StringBuilder(length + 16).append(text, offset, first);
        appendEscaped(text, first, end, escaped);
        out.write(escaped.toString());
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes: the streams belong to the caller, who closes them. */
    @Override
    public void close() throws IOException {
        out.flush();
    }

    private static int firstToEscape(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (needsEscape(text, i, to)) {
                return i;
            }
        }
        return -1;
    }

    private static void appendEscaped(CharSequence text, int from, int to, StringBuilder escaped) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!needsEscape(text, i, to)) {
                escaped.append(c);
            } else if (c < 0x100) {
                escaped.append(String.format("\\x%02x", (int) c));
            } else {
                escaped.append(String.format("\\u%04x", (int) c));
            }
        }
    }

    private static boolean needsEscape(CharSequence text, int at, int to) {
        char c = text.charAt(at);
        if (c == '\n' || c == '\t') {
            return false;
        }
        if (c == '\r') {
            return at + 1 >= to || text.charAt(at + 1) != '\n';
        }
        return isTerminalControl(c);
    }

    /**
     * Whether a character acts on a terminal or on the order text displays in: C0 controls, DEL,
     * C1 controls, bidirectional overrides and isolates. Line feed and tab are among them; the
     * writer keeps those.
     */
    static boolean isTerminalControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
    }
}
