package io.slurmgateway.blobs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The blob store: a directory on the gateway ({@code gateway.blobs.dir}). */
@Configuration(proxyBeanMethods = false)
class BlobConfiguration {

    @Bean
    BlobStore blobStore(BlobProperties properties) {
        return new DirectoryBlobStore(properties.dir());
    }
}
