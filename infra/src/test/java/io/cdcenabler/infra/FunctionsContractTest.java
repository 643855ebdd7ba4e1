package io.cdcenabler.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * What the stack names in the functions module (handler classes, the events DescribeTarget handles, the CDC_*
 * variables it reads) still exists there. Reads the sources, so it needs no functions build.
 */
class FunctionsContractTest {
    private static final Path SOURCES = Path.of("../functions/src/main/java/io/cdcenabler");

    @Test
    void everyHandlerTheStackNames_isARequestStreamHandlerInTheFunctionsModule() throws IOException {
        for (WorkflowStep step : WorkflowStep.values()) {
            Path source = SOURCES.resolve("handler/" + step.stateName() + "Handler.java");

            assertThat(source).as(step.handler()).isRegularFile();
            assertThat(Files.readString(source)).contains("implements RequestStreamHandler",
                    "public void handleRequest(InputStream input, OutputStream output, Context context)");
        }
    }

    @Test
    void theWaitLimitOfTheContext_isTheRequestsRule() throws IOException {
        String request = Files.readString(SOURCES.resolve("workflow/ProvisioningRequest.java"));

        assertThat(request).contains("HISTORY_EVENT_LIMIT = 25_000",
                "EVENTS_PER_STATUS_CHECK = " + CdcEnablerConfig.EVENTS_PER_STATUS_CHECK,
                "EVENTS_OUTSIDE_STATUS_LOOP = 1_000");
        assertThat(CdcEnablerConfig.MAX_STATUS_CHECKS).isEqualTo((25_000 - 1_000) / 9);
    }

    @Test
    void ruleEventIds_areExactlyTheEventsDescribeTargetHandles() throws IOException {
        String resolver = Files.readString(SOURCES.resolve("rds/TargetResolver.java"));
        Matcher handled = Pattern.compile("HANDLED_EVENTS\\s*=\\s*Set\\.of\\(([^)]*)\\)").matcher(resolver);

        assertThat(handled.find()).as("TargetResolver.HANDLED_EVENTS").isTrue();
        List<String> ids = new ArrayList<>();
        Matcher id = Pattern.compile("\"(RDS-EVENT-\\d{4})\"").matcher(handled.group(1));
        while (id.find()) {
            ids.add(id.group(1));
        }
        assertThat(CdcEnablerStack.RDS_EVENT_IDS).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void everyRdsAndSecretsManagerCallOfTheFunctions_isGrantedToSomeFunctionRole() throws IOException {
        Set<String> calls = new TreeSet<>();
        Pattern call = Pattern.compile("\\b(rds|secretsManager)\\.([a-z][A-Za-z]+)\\(");
        for (String folder : List.of("rds", "secrets")) {
            try (Stream<Path> files = Files.list(SOURCES.resolve(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher matcher = call.matcher(Files.readString(file));
                    while (matcher.find()) {
                        String service = matcher.group(1).equals("rds") ? "rds:" : "secretsmanager:";
                        calls.add(service + Character.toUpperCase(matcher.group(2).charAt(0))
                                + matcher.group(2).substring(1));
                    }
                }
            }
        }
        Set<String> granted = new TreeSet<>();
        Template template = Template.fromStack(TestStacks.synthesize("contract", TestStacks.requiredContext()));
        template.findResources("AWS::IAM::Policy").values().forEach(policy ->
                CloudFormation.list(CloudFormation.map(CloudFormation.properties(policy).get("PolicyDocument"))
                        .get("Statement")).forEach(statement ->
                        granted.addAll(CloudFormation.strings(CloudFormation.map(statement).get("Action")))));

        assertThat(calls).contains("rds:DescribeDBInstances", "secretsmanager:GetSecretValue");
        assertThat(granted).containsAll(calls);
    }

    @Test
    void describeTargetVariables_areTheOnesEventDefaultsReads() throws IOException {
        String eventDefaults = Files.readString(SOURCES.resolve("rds/EventDefaults.java"));

        for (String variable : List.of("CDC_OPT_IN_TAG_KEY", "CDC_OPT_IN_TAG_VALUE", "CDC_TRACKING_MODE",
                "CDC_SCHEMAS", "CDC_PUBLICATION", "CDC_REBOOT_POLICY", "CDC_WAIT_SECONDS", "CDC_WAIT_TIMEOUT_MINUTES")) {
            assertThat(eventDefaults).contains("= \"" + variable + "\";");
        }
    }

    @Test
    void secretAndParameterGroupPrefixes_matchTheFunctionsModule() throws IOException {
        assertThat(Files.readString(SOURCES.resolve("secrets/CdcSecretStore.java")))
                .contains("NAME_PREFIX = \"" + CdcEnablerStack.CDC_SECRET_PREFIX + "\";");
        assertThat(Files.readString(SOURCES.resolve("rds/ParameterGroupPlanner.java")))
                .contains("OWN_GROUP_PREFIX = \"" + CdcEnablerStack.OWN_PARAMETER_GROUP_PREFIX + "\";");
    }
}
