package org.lockstep.internal.jdbc;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: with every password taken out. */
public final class JdbcUrl {
    // user:password@ before a host, and any parameter whose name says it is a secret
    // (password, sslpassword, pwd...), whichever separator the driver uses (? & ;).
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@?;]*?:)[^/@?;]*@");
    // The value runs to the next '&' (or the end): a ';' inside a password is part of it, and
    // masking a following ';'-separated parameter too is the safe mistake.
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("([?&;:][^=&;?/]*(?i:password|passwd|pwd|secret|token)[^=&;?]*=)[^&]*");

    private JdbcUrl() {}

    /**
     * Returns the URL with passwords replaced by {@code ***}, for messages and logs.
     *
     * @param url a JDBC URL
     * @return the URL, safe to show
     */
    public static String redact(String url) {
        String shown = USER_INFO.matcher(url).replaceAll("$1***@");
        return SECRET_PARAMETER.matcher(shown).replaceAll("$1***");
    }

    /**
     * Returns the URL as messages show the database: redacted, and for a SQLite file URL just
     * the file, which is what an operator knows it by.
     *
     * @param url a JDBC URL
     * @return the URL, safe to show
     */
    public static String shown(String url) {
        String shown = redact(url);
        return shown.startsWith("jdbc:sqlite:") ? shown.substring("jdbc:sqlite:".length()) : shown;
    }

    /**
     * Returns the URL's scheme, {@code jdbc:} and the driver's name: {@code jdbc:postgresql:}.
     *
     * @param url a JDBC URL
     * @return the scheme, or the URL itself if it has no second colon
     */
    static String scheme(String url) {
        int colon = url.indexOf(':', "jdbc:".length());
        return colon < 0 ? url : url.substring(0, colon + 1);
    }

    /**
     * Replaces every occurrence of {@code url} in {@code text} with its redacted form.
     *
     * @param text a message, perhaps from a driver
     * @param url the URL it may contain
     * @return the text, safe to show
     */
    static String redactIn(String text, String url) {
        return text == null ? null : text.replace(url, redact(url));
    }
}
