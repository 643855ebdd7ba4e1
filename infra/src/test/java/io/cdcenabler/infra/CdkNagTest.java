package io.cdcenabler.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

class CdkNagTest {
    private static Annotations annotations;

    @BeforeAll
    static void synthesize() {
        annotations = Annotations.fromStack(TestStacks.synthesize("nag", TestStacks.requiredContext()));
    }

    @Test
    void awsSolutionsChecks_reportNoUnsuppressedErrors() {
        var errors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        var warnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        System.out.println("cdk-nag AwsSolutions: " + errors.size() + " unsuppressed errors, " + warnings.size()
                + " warnings");

        annotations.hasNoError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(errors).isEmpty();
    }
}
