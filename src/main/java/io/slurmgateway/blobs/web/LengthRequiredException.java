package io.slurmgateway.blobs.web;

/** An upload without Content-Length: its size must be known before a byte is stored, for the size limit and quota. */
class LengthRequiredException extends RuntimeException {

    LengthRequiredException() {
        super("send the blob with Content-Length (its size is checked against the limits before it is read)");
    }
}
