package org.lockstep.internal.sql;

/** SQLite's identity of names: equal when they differ only in ASCII case. */
public final class Names {
    private Names() {}

    /** Returns the name as a key: ASCII letters in lower case, everything else as written. */
    public static String key(String name) {
        StringBuilder key = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (key == null) {
                    key = new StringBuilder(name);
                }
                key.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return key == null ? name : key.toString();
    }

    /** Returns whether two names are the same name to SQLite. */
    public static boolean same(String a, String b) {
        return key(a).equals(key(b));
    }
}
