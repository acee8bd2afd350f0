package io.slurmgateway.support;

import io.slurmgateway.runs.web.ApiProperties;
import io.slurmgateway.security.SecurityConfiguration;
import io.slurmgateway.security.SecurityProperties;
import io.slurmgateway.system.SystemConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;

/**
 * What a {@code @WebMvcTest} slice needs beside its controller: the API's limits (the request body filter applies to
 * every request), the shared beans, among them the strict JSON reading of requests, and the security filter chain
 * (unauthenticated, as a gateway without tokens runs).
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableWebSecurity // the slice does not bring Boot's security auto-configuration along
@EnableConfigurationProperties({ApiProperties.class, SecurityProperties.class})
@Import({SystemConfiguration.class, SecurityConfiguration.class})
public class WebSliceConfiguration {}
