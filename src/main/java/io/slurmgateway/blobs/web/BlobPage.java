package io.slurmgateway.blobs.web;

import java.util.List;

/** One page of blobs, newest first. */
record BlobPage(List<BlobResponse> items, int page, int size, long totalElements, int totalPages) {}
