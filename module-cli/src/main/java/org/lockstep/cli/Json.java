package org.lockstep.cli;

/** Just enough JSON writing for the command's reports. */
final class Json {
    private Json() {}

    /**
     * Returns the value as a JSON string literal, or {@code null} for null. Control characters,
     * DEL, C1 controls and bidirectional overrides are written as backslash-u escapes.
     */
    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    // All that EscapingWriter escapes, so that it leaves JSON as it is.
                    if (EscapingWriter.isTerminalControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
