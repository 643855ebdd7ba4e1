package io.cdcenabler.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.workflow.InstanceBusyException;
import io.cdcenabler.workflow.TargetNotFoundException;
import io.cdcenabler.workflow.ThrottledException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.RdsException;

class RdsErrorsTest {
    private static AwsServiceException withCode(AwsServiceException.Builder builder, String code) {
        return builder.statusCode(400).awsErrorDetails(AwsErrorDetails.builder().errorCode(code)
                .errorMessage(code + " happened").build()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"})
    void throttlingCodes_areThrottled(String code) {
        assertThat(RdsErrors.translate("DescribeDBInstances x", withCode(RdsException.builder(), code)))
                .isInstanceOf(ThrottledException.class).hasMessageContaining("DescribeDBInstances x")
                .hasMessageContaining(code);
    }

    @Test
    void stateAndNotFoundErrors_mapToTheirWorkflowTypes() {
        assertThat(RdsErrors.translate("x", FakeRds.invalidInstanceState("db"))).isInstanceOf(InstanceBusyException.class);
        assertThat(RdsErrors.translate("x", withCode(InvalidDbClusterStateException.builder(),
                "InvalidDBClusterStateFault"))).isInstanceOf(InstanceBusyException.class);
        assertThat(RdsErrors.translate("x", withCode(DbInstanceNotFoundException.builder(), "DBInstanceNotFound")))
                .isInstanceOf(TargetNotFoundException.class);
        assertThat(RdsErrors.translate("x", withCode(DbClusterNotFoundException.builder(), "DBClusterNotFoundFault")))
                .isInstanceOf(TargetNotFoundException.class);
    }

    @Test
    void otherErrors_propagateUnchanged() {
        AwsServiceException error = withCode(RdsException.builder(), "InvalidParameterValue");

        assertThatThrownBy(() -> RdsErrors.call("ModifyDBParameterGroup g", () -> {
            throw error;
        })).isSameAs(error);
    }
}
