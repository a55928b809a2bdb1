package org.lockstep.internal.script;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Decoding and normalising a script's bytes, and its checksum.
 *
 * <p>A script is UTF-8, with or without a byte-order mark, with {@code \n}, {@code \r\n} or
 * {@code \r} line endings. Normalising removes the mark and turns every line ending into
 * {@code \n}; the checksum is the SHA-256 of the normalised text's UTF-8 bytes, so a checkout
 * with CRLF endings does not look edited.
 */
public final class ScriptText {
    private ScriptText() {
    }

    /** Invalid UTF-8 in a script. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final long byteOffset;

        MalformedException(long byteOffset, Throwable cause) {
            super("invalid UTF-8 at byte offset [" + byteOffset + "]", cause);
            this.byteOffset = byteOffset;
        }

        /** Returns the offset of the first invalid byte, counted from the start of the file. */
        public long byteOffset() {
            return byteOffset;
        }
    }

    /**
     * Decodes UTF-8 strictly and normalises the text.
     *
     * @param bytes the file's bytes
     * @return the normalised text
     * @throws MalformedException if the bytes are not valid UTF-8
     */
    public static String decode(byte[] bytes) throws MalformedException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            try {
                result.throwException();
            } catch (CharacterCodingException e) {
                throw new MalformedException(in.position(), e);
            }
        }
        decoder.flush(out);
        out.flip();
        return normalise(out.toString());
    }

    /** Removes a leading byte-order mark and turns {@code \r\n} and {@code \r} into {@code \n}. */
    public static String normalise(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (body.indexOf('\r') < 0) {
            return body;
        }
        return body.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** Returns the lowercase hex SHA-256 of the normalised text's UTF-8 bytes. */
    public static String checksum(String normalisedText) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(normalisedText.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
