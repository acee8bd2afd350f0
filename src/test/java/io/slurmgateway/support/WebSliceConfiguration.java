package io.slurmgateway.support;

import io.slurmgateway.runs.web.ApiProperties;
import io.slurmgateway.system.SystemConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What a {@code @WebMvcTest} slice needs beside its controller: the API's limits (the request body filter applies to
 * every request) and the shared beans, among them the strict JSON reading of requests.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
@Import(SystemConfiguration.class)
public class WebSliceConfiguration {}
