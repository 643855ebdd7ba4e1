package io.cdcenabler.cli;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;

/** Builds the CloudWatch client of {@code cdc-enabler alarms}; the test seam through which tests pass a fake. */
@FunctionalInterface
interface CloudWatchClientFactory {
    /** A client for the region, or for the SDK's default region chain when {@code region} is null. */
    CloudWatchClient create(String region);

    /** Region and credentials from the SDK defaults, the url-connection HTTP client and bounded call timeouts. */
    static CloudWatchClientFactory sdkDefaults() {
        return region -> {
            CloudWatchClientBuilder builder = CloudWatchClient.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .apiCallTimeout(Duration.ofSeconds(30))
                            .apiCallAttemptTimeout(Duration.ofSeconds(10))
                            .build());
            if (region != null) {
                builder.region(Region.of(region));
            }
            return builder.build();
        };
    }
}
