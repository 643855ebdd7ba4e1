package io.cdcenabler.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the pinned CDK CLI (node_modules, installed by the build's {@code npm ci}) on cdk.json, as a user would: the
 * app command must start from target/classes and target/dependency, and synth must need no AWS access.
 */
class CdkCliSynthTest {
    private static final Path CDK = Path.of("node_modules/.bin/cdk");
    private static final Path OUTPUT = Path.of("target/cdk.out");

    @Test
    void cdkSynth_withTheRequiredContext_writesTheTemplateOffline() throws IOException, InterruptedException {
        assertThat(CDK).as("the CDK CLI from `npm ci` in infra/ (the build runs it unless -DskipNpm)").isExecutable();
        Path log = Path.of("target/cdk-synth.log");
        List<String> command = new ArrayList<>(List.of(CDK.toString(), "synth", "--quiet", "--no-notices",
                "--output", OUTPUT.toString(),
                "-c", "vpcId=" + TestStacks.VPC_ID,
                "-c", "subnetIds=" + String.join(",", TestStacks.SUBNET_IDS),
                "-c", "securityGroupId=" + TestStacks.SECURITY_GROUP_ID,
                "-c", "lambdaJar=" + TestStacks.standInJar()));

        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }

        assertThat(finished).as("cdk synth finished within 5 minutes").isTrue();
        assertThat(process.exitValue()).as("cdk synth exit code; output:%n%s", Files.readString(log)).isZero();
        Path template = OUTPUT.resolve(CdcEnablerApp.STACK_ID + ".template.json");
        assertThat(template).isRegularFile();
        assertThat(Files.readString(template)).contains("AWS::StepFunctions::StateMachine", "AWS::Events::Rule",
                "io.cdcenabler.handler.ProvisionHandler::handleRequest");
    }
}
