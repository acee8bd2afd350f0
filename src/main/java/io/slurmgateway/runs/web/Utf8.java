package io.slurmgateway.runs.web;

/** Where UTF-8 text can be cut without splitting a character. */
final class Utf8 {

    private Utf8() {}

    /**
     * The length of the longest prefix of {@code bytes} that does not end inside a multi-byte character; the rest waits
     * for the bytes that complete it. Malformed input is not held back.
     */
    static int completePrefixLength(byte[] bytes) {
        int lead = bytes.length - 1;
        while (lead >= 0 && bytes.length - lead < 4 && isContinuation(bytes[lead])) {
            lead--;
        }
        if (lead < 0) {
            return bytes.length;
        }
        return bytes.length - lead < sequenceLength(bytes[lead]) ? lead : bytes.length;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int sequenceLength(byte lead) {
        if ((lead & 0xE0) == 0xC0) {
            return 2;
        }
        if ((lead & 0xF0) == 0xE0) {
            return 3;
        }
        if ((lead & 0xF8) == 0xF0) {
            return 4;
        }
        return 1;
    }
}
