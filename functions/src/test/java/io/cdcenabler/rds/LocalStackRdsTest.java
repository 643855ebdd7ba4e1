package io.cdcenabler.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.ParameterGroupOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.Topology;
import io.cdcenabler.workflow.WorkflowState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * DescribeTarget and EnsureParameterGroup against RDS as LocalStack emulates it (LocalStack's RDS needs its paid
 * image): a real PostgreSQL instance on the default group gets a custom group with rds.logical_replication=1
 * attached. Skipped without a Docker engine, and without LOCALSTACK_AUTH_TOKEN in the environment.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackRdsTest {
    static final DockerImageName LOCALSTACK_PRO = DockerImageName.parse("localstack/localstack-pro:4.4.0")
            .asCompatibleSubstituteFor("localstack/localstack");
    static final String INSTANCE = "orders-db";

    private static LocalStackContainer localStack;
    private static RdsClient rds;

    @BeforeAll
    static void startLocalStackPro() {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        assumeTrue(token != null && !token.isBlank(), "LocalStack's RDS needs LOCALSTACK_AUTH_TOKEN; none is set");
        localStack = new LocalStackContainer(LOCALSTACK_PRO).withServices("rds")
                .withEnv("LOCALSTACK_AUTH_TOKEN", token)
                .withStartupTimeout(Duration.ofMinutes(3));
        localStack.start();
        rds = RdsClient.builder()
                .endpointOverride(localStack.getEndpoint())
                .region(Region.of(localStack.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        localStack.getAccessKey(), localStack.getSecretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)))
                .build();
        rds.createDBInstance(request -> request.dbInstanceIdentifier(INSTANCE)
                .engine("postgres")
                .engineVersion("16.4")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("postgres")
                .masterUserPassword("local-only-admin-pw")
                .dbName("app")
                .tags(tag -> tag.key("cdc-enabler").value("true")));
        rds.waiter().waitUntilDBInstanceAvailable(request -> request.dbInstanceIdentifier(INSTANCE));
    }

    @AfterAll
    static void stop() {
        if (rds != null) {
            rds.close();
        }
        if (localStack != null) {
            localStack.stop();
        }
    }

    @Test
    void describeThenEnsure_onTheDefaultGroup_attachesACustomGroupWithLogicalReplication() {
        TargetResolver resolver = new TargetResolver(rds, EventDefaults.fromEnvironment(Map.of()));
        TargetDescription target = resolver.describe(ProvisioningRequest.builder()
                .instanceIdentifier(INSTANCE).database("app").build());

        ParameterGroupOutcome outcome = new ParameterGroupEnsurer(rds, new ParameterGroupPlanner())
                .ensure(new WorkflowState(target, null, null, null, null, null, null));

        assertThat(target.skipped()).isFalse();
        assertThat(target.topology()).isEqualTo(Topology.SINGLE_INSTANCE);
        assertThat(target.engine()).isEqualTo("postgres");
        assertThat(target.family()).startsWith("postgres");
        assertThat(outcome.created()).isTrue();
        assertThat(outcome.attached()).isTrue();
        assertThat(outcome.rebootRequired()).isTrue();
        assertThat(rds.describeDBInstances(request -> request.dbInstanceIdentifier(INSTANCE)).dbInstances().get(0)
                .dbParameterGroups()).anySatisfy(group ->
                        assertThat(group.dbParameterGroupName()).isEqualTo(outcome.parameterGroupName()));
        assertThat(rds.describeDBParametersPaginator(request -> request
                        .dbParameterGroupName(outcome.parameterGroupName()).source("user")).parameters().stream()
                .filter(parameter -> parameter.parameterName().equals("rds.logical_replication"))
                .map(Parameter::parameterValue)).containsExactly("1");
    }
}
