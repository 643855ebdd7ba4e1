package io.cdcenabler.upgrade;

import io.cdcenabler.rds.RdsErrors;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBEngineVersion;
import software.amazon.awssdk.services.rds.model.UpgradeTarget;

/**
 * Which version to upgrade to and its parameter group family, as RDS reports them: DescribeDBEngineVersions of the
 * current version lists its ValidUpgradeTarget. When RDS lists none, only "major above the current one" is checked,
 * and the note says so.
 */
final class UpgradeVersions {
    private final RdsClient rds;

    UpgradeVersions(RdsClient rds) {
        this.rds = Objects.requireNonNull(rds, "rds");
    }

    /** The version chosen, its family, and how it was validated. */
    record Chosen(String version, String family, String note) {
    }

    /** Fails with {@link InvalidUpgradeTargetException} when {@code target} is not above {@code current}'s major. */
    static void requireAbove(TargetVersion target, String current, String subject) {
        int currentMajor = TargetVersion.majorOf(current);
        if (target.major() <= currentMajor) {
            throw new InvalidUpgradeTargetException("--target-version " + target.text() + " is not above the "
                    + "current major version of " + subject + ", which runs " + current + " (major " + currentMajor
                    + "): a major version upgrade needs " + (currentMajor + 1) + " or later; nothing was changed");
        }
    }

    Chosen choose(String engine, String current, TargetVersion target) {
        List<DBEngineVersion> versions = describe(engine, current);
        List<UpgradeTarget> valid = versions.stream().flatMap(v -> v.validUpgradeTarget().stream())
                .filter(t -> engine.equals(t.engine()) && t.engineVersion() != null).toList();
        if (valid.isEmpty()) {
            return new Chosen(target.text(), family(engine, target.text(), target.major()), "RDS lists no upgrade "
                    + "target for " + engine + " " + current + ": only checked that " + target.text() + " is above "
                    + "major " + TargetVersion.majorOf(current) + "; RDS checks the version when the command runs");
        }
        List<String> ofMajor = valid.stream().map(UpgradeTarget::engineVersion)
                .filter(v -> TargetVersion.majorOf(v) == target.major()).sorted(UpgradeVersions::compare).toList();
        String chosen = target.majorOnly() ? (ofMajor.isEmpty() ? null : ofMajor.get(ofMajor.size() - 1))
                : ofMajor.contains(target.text()) ? target.text() : null;
        if (chosen == null) {
            throw new InvalidUpgradeTargetException("--target-version " + target.text() + " is not an upgrade target "
                    + "RDS offers for " + engine + " " + current + (ofMajor.isEmpty() ? "; it offers majors "
                    + valid.stream().map(t -> TargetVersion.majorOf(t.engineVersion())).distinct().sorted().toList()
                    : "; of major " + target.major() + " it offers " + ofMajor) + "; nothing was changed");
        }
        return new Chosen(chosen, family(engine, chosen, target.major()), "RDS lists " + chosen + " as a valid "
                + "upgrade target of " + engine + " " + current + (target.majorOnly() ? " (the newest of major "
                + target.major() + ")" : ""));
    }

    /** The family RDS reports for the version, or engine and major when RDS describes no such version. */
    private String family(String engine, String version, int major) {
        return describe(engine, version).stream().map(DBEngineVersion::dbParameterGroupFamily)
                .filter(Objects::nonNull).findFirst().orElse(engine + major);
    }

    private List<DBEngineVersion> describe(String engine, String version) {
        return RdsErrors.call("DescribeDBEngineVersions " + engine + " " + version,
                () -> rds.describeDBEngineVersions(r -> r.engine(engine).engineVersion(version).includeAll(true)))
                .dbEngineVersions();
    }

    /** Compares dotted versions number by number (16.10 after 16.9). */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(number(x, i), number(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int number(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
