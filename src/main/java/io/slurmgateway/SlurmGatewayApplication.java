package io.slurmgateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SlurmGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(SlurmGatewayApplication.class, args);
    }
}
