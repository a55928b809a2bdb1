package org.lockstep.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class ScriptTextTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodeStripsByteOrderMark() throws ScriptText.MalformedException {
        assertEquals("SELECT 1;\n", ScriptText.decode(concat(BOM, utf8("SELECT 1;\n"))));
    }

    @Test
    void decodeKeepsTextWithoutByteOrderMark() throws ScriptText.MalformedException {
        assertEquals("SELECT 'é';\n", ScriptText.decode(utf8("SELECT 'é';\n")));
        assertEquals("", ScriptText.decode(new byte[0]));
    }

    @Test
    void decodeKeepsLineEndingsAsWritten() throws ScriptText.MalformedException {
        assertEquals(
                "CREATE TABLE a (x);\r\nSELECT 'a\rb';\r",
                ScriptText.decode(concat(BOM, utf8("CREATE TABLE a (x);\r\nSELECT 'a\rb';\r"))));
    }

    @Test
    void allLineEndingsGiveTheSameChecksum() throws ScriptText.MalformedException {
        String lf = ScriptText.decode(utf8("CREATE TABLE a (x);\nSELECT 1;\n\n"));
        String crlf = ScriptText.decode(utf8("CREATE TABLE a (x);\r\nSELECT 1;\r\n\r\n"));
        String cr = ScriptText.decode(utf8("CREATE TABLE a (x);\rSELECT 1;\r\r"));
        String bomCrlf = ScriptText.decode(concat(BOM, utf8("CREATE TABLE a (x);\r\nSELECT 1;\r\n\r\n")));
        assertEquals(ScriptText.checksum(lf), ScriptText.checksum(crlf));
        assertEquals(ScriptText.checksum(lf), ScriptText.checksum(cr));
        assertEquals(ScriptText.checksum(lf), ScriptText.checksum(bomCrlf));
        assertNotEquals(ScriptText.sha256(lf), ScriptText.sha256(crlf), "the exact digest tells them apart");
    }

    @Test
    void checksumOfTextWithCarriageReturnsIsTheOneHistoriesAlreadyHold() {
        // printf "CREATE TABLE t (v TEXT);\nINSERT INTO t VALUES ('x\ny'); -- off:\nDELETE FROM t;\n" | sha256sum
        assertEquals(
                "e3662bcbd440ff0f43acd40367e8fc0aa4d7f87f004e37a82d5520308a00e78f",
                ScriptText.checksum(
                        "CREATE TABLE t (v TEXT);\r\nINSERT INTO t VALUES ('x\ry'); -- off:\rDELETE FROM t;\r\n"));
    }

    @Test
    void normaliseTurnsMixedLineEndingsIntoLineFeeds() {
        assertEquals("a\nb\nc\n\nd", ScriptText.normalise("a\r\nb\rc\n\r\nd"));
        assertEquals("a\n\nb", ScriptText.normalise("a\r\rb"));
    }

    @Test
    void checksumIsLowercaseHexSha256OfUtf8Bytes() {
        // printf 'SELECT 1;\n' | sha256sum
        assertEquals(
                "b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd", ScriptText.checksum("SELECT 1;\n"));
        // printf '' | sha256sum
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ScriptText.checksum(""));
    }

    @Test
    void checksumHashesNonAsciiAsUtf8() {
        // printf '\xc3\xa9' | sha256sum  (U+00E9 in UTF-8)
        assertEquals("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c", ScriptText.checksum("é"));
        assertNotEquals(ScriptText.checksum("é"), ScriptText.checksum("e"));
    }

    @Test
    void invalidUtf8ReportsOffsetOfFirstBadByte() {
        ScriptText.MalformedException e = assertThrows(
                ScriptText.MalformedException.class,
                () -> ScriptText.decode(concat(utf8("ab"), new byte[] {(byte) 0xFF}, utf8("cd"))));
        assertEquals(2, e.byteOffset());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        assertInstanceOf(CharacterCodingException.class, e.getCause());
    }

    @Test
    void invalidUtf8OffsetCountsByteOrderMark() {
        ScriptText.MalformedException e = assertThrows(
                ScriptText.MalformedException.class,
                () -> ScriptText.decode(concat(BOM, utf8("ab"), new byte[] {(byte) 0xFF})));
        assertEquals(5, e.byteOffset());
    }

    @Test
    void invalidUtf8OffsetCountsBytesOfEarlierMultiByteCharacters() {
        // "é" is two bytes, "€" three: the bad byte is at 2 + 3 + 1 = 6.
        ScriptText.MalformedException e = assertThrows(
                ScriptText.MalformedException.class,
                () -> ScriptText.decode(concat(utf8("é€x"), new byte[] {(byte) 0xC3, (byte) 0x28})));
        assertEquals(6, e.byteOffset());
    }

    @Test
    void truncatedSequenceAtEndOfFileIsInvalid() {
        ScriptText.MalformedException e = assertThrows(
                ScriptText.MalformedException.class,
                () -> ScriptText.decode(concat(utf8("abc"), new byte[] {(byte) 0xE2, (byte) 0x82})));
        assertEquals(3, e.byteOffset());
    }
}
