package io.cdcenabler.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

class CdkNagTest {
    private static Annotations annotations;

    @BeforeAll
    static void synthesize() {
        annotations = Annotations.fromStack(TestStacks.synthesize("nag", TestStacks.requiredContext()));
    }

    @Test
    void awsSolutionsChecks_reportNoUnsuppressedErrors() {
        List<SynthesisMessage> errors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        System.out.println("cdk-nag AwsSolutions: " + errors.size() + " unsuppressed errors, " + warnings.size()
                + " warnings" + describe(warnings));

        assertThat(describe(errors)).isEmpty();
    }

    private static String describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> "\n  " + m.getId() + ": " + m.getEntry().getData())
                .collect(Collectors.joining());
    }
}
