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
 * Decoding a script's bytes, and its checksum.
 *
 * <p>A script is UTF-8, with or without a byte-order mark, with {@code \n}, {@code \r\n} or
 * {@code \r} line endings. Decoding removes the mark and nothing else: the text that runs is
 * the text as written, since a line ending can be part of what a statement means (a
 * {@code \r} inside a string literal is data; a lone {@code \r} does not end a SQLite
 * {@code --} comment). Only the checksum normalises: it is the SHA-256 of the UTF-8 bytes of
 * the text with every line ending turned into {@code \n}, so a checkout with CRLF endings
 * does not look edited. That is the checksum Lockstep has always recorded; changing it would
 * fail the validation of every existing history.
 */
public final class ScriptText {
    private static final MessageDigest SHA_256 = newDigest();

    private ScriptText() {}

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
     * Decodes UTF-8 strictly and removes a leading byte-order mark.
     *
     * @param bytes the file's bytes
     * @return the text, line endings as written
     * @throws MalformedException if the bytes are not valid UTF-8
     */
    public static String decode(byte[] bytes) throws MalformedException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
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
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Removes a leading byte-order mark and turns {@code \r\n} and {@code \r} into {@code \n}. */
    public static String normalise(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (body.indexOf('\r') < 0) {
            return body;
        }
        return body.replace("\r\n", "\n").replace('\r', '\n');
    }

    /**
     * Returns a script's checksum: the lowercase hex SHA-256 of the UTF-8 bytes of its
     * {@linkplain #normalise normalised} text. Texts that differ only in line endings or a
     * byte-order mark have the same checksum.
     *
     * @param text the script's text, as decoded or already normalised
     * @return the checksum
     */
    public static String checksum(String text) {
        return sha256(normalise(text));
    }

    /**
     * Returns the lowercase hex SHA-256 of the text's UTF-8 bytes exactly as it is: what
     * tells apart two texts with the same {@link #checksum}.
     */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    // A copy of one digest: looking the algorithm up among the providers cost more than hashing
    // a short script, and a load hashes every script.
    private static MessageDigest digest() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return newDigest();
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
