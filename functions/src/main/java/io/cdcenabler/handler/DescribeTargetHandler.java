package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.rds.EventDefaults;
import io.cdcenabler.rds.RdsEvent;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.steps.ProvisioningSpecs;
import io.cdcenabler.upgrade.InvalidUpgradeTargetException;
import io.cdcenabler.upgrade.TargetVersion;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.PrepareUpgradeInput;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.TargetDescription;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** DescribeTarget: the execution input (manual JSON or an EventBridge RDS event) to a {@link TargetDescription}. */
public final class DescribeTargetHandler implements RequestStreamHandler {
    static final SortedSet<String> MANUAL_FIELDS = Collections.unmodifiableSortedSet(Stream.concat(
            Arrays.stream(ProvisioningRequest.class.getRecordComponents()).map(RecordComponent::getName),
            Stream.of("execution", PrepareUpgradeInput.FIELD)).collect(Collectors.toCollection(TreeSet::new)));
    private static final List<String> UPGRADE_FIELDS = List.of("targetVersion", "dryRun");
    private final TargetResolver resolver;

    public DescribeTargetHandler() {
        this(new TargetResolver(AwsClients.rds(), EventDefaults.fromEnvironment(System.getenv())));
        SnapStartPriming.register();
    }

    DescribeTargetHandler(TargetResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonNode event = Json.read(input);
        Json.write(output, ExecutionLogContext.within(event, () -> describe(event)));
    }

    private TargetDescription describe(JsonNode input) {
        RdsEvent event = RdsEvent.from(input);
        if (event != null) {
            return resolver.describe(event);
        }
        rejectUnknownFields(input);
        requireValidUpgradeOptions(input.get(PrepareUpgradeInput.FIELD));
        ProvisioningRequest request = Json.convert(input, ProvisioningRequest.class);
        ProvisioningSpecs.of(request);
        return resolver.describe(request);
    }

    /**
     * {@code "prepareUpgrade": {"targetVersion": "18", "dryRun": true}}: checked here, before anything is described
     * or changed, so a typo never runs an enrolment instead (an unknown field would otherwise be ignored).
     */
    private static void requireValidUpgradeOptions(JsonNode options) {
        if (options == null) {
            return;
        }
        String field = PrepareUpgradeInput.FIELD;
        if (!options.isObject()) {
            throw new InvalidInputException(field + " must be an object such as {\"targetVersion\": \"18\"}, was "
                    + options + "; nothing was changed");
        }
        List<String> unknown = new ArrayList<>();
        options.fieldNames().forEachRemaining(name -> {
            if (!UPGRADE_FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("unknown field" + (unknown.size() == 1 ? " " : "s ") + unknown + " in "
                    + field + "; its fields are " + UPGRADE_FIELDS + "; nothing was changed");
        }
        JsonNode version = options.get("targetVersion");
        if (version == null || !version.isTextual()) {
            throw new InvalidInputException(field + ".targetVersion must be a string such as \"18\" or \"18.1\", "
                    + "was " + version + "; nothing was changed");
        }
        try {
            TargetVersion.parse(version.asText());
        } catch (InvalidUpgradeTargetException e) {
            throw new InvalidInputException(PrepareUpgradeInput.inInputTerms(e.getMessage()), e);
        }
        JsonNode dryRun = options.get("dryRun");
        if (dryRun != null && !dryRun.isBoolean()) {
            throw new InvalidInputException(field + ".dryRun must be true or false, was " + dryRun
                    + "; nothing was changed");
        }
    }

    /**
     * A misspelt option must not be ignored silently: "rebootPolcy": "NONE" would otherwise reboot at once. The
     * known fields are the request's, plus "execution" that the definition's first state adds.
     */
    private static void rejectUnknownFields(JsonNode input) {
        if (!input.isObject()) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        input.fieldNames().forEachRemaining(name -> {
            if (!MANUAL_FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("unknown field" + (unknown.size() == 1 ? " " : "s ") + unknown
                    + " in the input; the fields are " + MANUAL_FIELDS);
        }
    }
}
