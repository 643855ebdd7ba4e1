package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.cdcenabler.workflow.StepOutcomes.CredentialsReference;
import io.cdcenabler.workflow.StepOutcomes.ParameterGroupOutcome;
import io.cdcenabler.workflow.StepOutcomes.ProvisionOutcome;
import io.cdcenabler.workflow.StepOutcomes.RebootOutcome;
import io.cdcenabler.workflow.StepOutcomes.StatusOutcome;
import io.cdcenabler.workflow.StepOutcomes.VerifyOutcome;

/**
 * The execution's state as the Task states after DescribeTarget receive it: the original input stays at the root
 * (ignored here), and each step's result sits under its own key (the ASL's ResultPath).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkflowState(TargetDescription target, ParameterGroupOutcome parameterGroup, RebootOutcome reboot,
                            StatusOutcome status, CredentialsReference credentials, ProvisionOutcome provision,
                            VerifyOutcome verify) {

    /** The target, failing with a named error when the state lacks it. */
    public TargetDescription requireTarget() {
        if (target == null || target.request() == null) {
            throw new InvalidInputException("state must hold $.target from DescribeTarget with its request");
        }
        return target;
    }
}
