package io.slurmgateway.runs.web;

import java.util.List;

/** One page of runs, newest first. */
record RunPage(List<RunResponse> items, int page, int size, long totalElements, int totalPages) {}
