package io.slurmgateway.blobs.web;

import io.slurmgateway.blobs.Digest;

/** No such blob, or not one the caller uploaded: the two look the same, so a digest reveals nothing. */
class BlobNotFoundException extends RuntimeException {

    BlobNotFoundException(Digest digest) {
        super("no blob " + digest + " uploaded by you; upload it with PUT /api/v1/blobs/" + digest);
    }
}
