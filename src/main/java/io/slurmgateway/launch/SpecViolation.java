package io.slurmgateway.launch;

/** One problem with one field of a {@link RunSpec}; {@code field} is a dotted path such as {@code resources.memory}. */
public record SpecViolation(String field, String message) {}
