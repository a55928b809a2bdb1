package org.lockstep.internal.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * {@link FlywayChecksum} against the procedure Flyway's {@code ChecksumCalculator} follows,
 * written here with {@link BufferedReader#readLine()} as Flyway writes it. (The adoption tests in
 * module-tests check it against checksums Flyway itself recorded.)
 */
final class FlywayChecksumTest {
    private static int asFlywayReadsIt(String text) throws IOException {
        CRC32 crc = new CRC32();
        try (BufferedReader reader = new BufferedReader(new StringReader(text), 4096)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String filtered = !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
                crc.update(filtered.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
    }

    @Test
    void agreesWithFlywaysLineByLineReadingOnEveryLineEndingAndMark() throws IOException {
        for (String text : List.of(
                "",
                "\n",
                "SELECT 1;",
                "SELECT 1;\n",
                "SELECT 1;\r\nSELECT 2;\r\n",
                "a\rb\r\n\r\nc\n\n",
                "\uFEFFCREATE TABLE t (x);\n",
                "x\n\uFEFFy\n",
                "Zoë 日本 😀\n\ttab  \n",
                "\r",
                "no end")) {
            assertEquals(asFlywayReadsIt(text), FlywayChecksum.of(text), text);
        }
    }

    @Test
    void lineEndingsDoNotChangeItButAnythingElseDoes() {
        assertEquals(FlywayChecksum.of("a;\nb;\n"), FlywayChecksum.of("a;\r\nb;\r\n"));
        assertNotEquals(FlywayChecksum.of("a;\nb;\n"), FlywayChecksum.of("a; \nb;\n"));
    }
}
