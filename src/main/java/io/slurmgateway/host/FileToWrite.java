package io.slurmgateway.host;

/** A file to place in a directory: its name inside it, its bytes, and whether it is a program. */
public record FileToWrite(String name, byte[] content, boolean executable) {

    public FileToWrite {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
    }
}
