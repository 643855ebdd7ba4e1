package io.cdcenabler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.logs.RetentionDays;

class CdcEnablerConfigTest {

    private static CdcEnablerConfig parse(Map<String, Object> context) {
        return CdcEnablerConfig.fromContext(context::get);
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> context = TestStacks.requiredContext();
        context.put(key, value);
        return context;
    }

    @Test
    void fromContext_whenOnlyRequiredKeysGiven_takesTheDocumentedDefaults() {
        CdcEnablerConfig config = parse(TestStacks.requiredContext());

        assertThat(config.vpcId()).isEqualTo(TestStacks.VPC_ID);
        assertThat(config.subnetIds()).isEqualTo(TestStacks.SUBNET_IDS);
        assertThat(config.securityGroupId()).isEqualTo(TestStacks.SECURITY_GROUP_ID);
        assertThat(config.availabilityZones()).isEmpty();
        assertThat(config.optInTagKey()).isEqualTo("cdc-enabler");
        assertThat(config.optInTagValue()).isEqualTo("true");
        assertThat(config.trackingMode()).isEqualTo("ALL_TABLES");
        assertThat(config.schemas()).containsExactly("public");
        assertThat(config.publication()).isEqualTo("bemi");
        assertThat(config.rebootPolicy()).isEqualTo("IMMEDIATE");
        assertThat(config.waitSeconds()).isEqualTo(30);
        assertThat(config.waitTimeoutMinutes()).isEqualTo(120);
        assertThat(config.logRetention()).isEqualTo(RetentionDays.THREE_MONTHS);
        assertThat(config.adminSecretArns()).isEmpty();
        assertThat(config.secretKmsKeyArns()).isEmpty();
        assertThat(config.maxSlotWalKeepSize()).isEqualTo("20%");
    }

    @Test
    void maxSlotWalKeepSize_takesASizeAShareOrOff_inOneSpelling() {
        assertThat(parse(with(CdcEnablerConfig.MAX_SLOT_WAL_KEEP_SIZE, "100GB")).maxSlotWalKeepSize())
                .isEqualTo("102400MB");
        assertThat(parse(with(CdcEnablerConfig.MAX_SLOT_WAL_KEEP_SIZE, "10 %")).maxSlotWalKeepSize())
                .isEqualTo("10%");
        assertThat(parse(with(CdcEnablerConfig.MAX_SLOT_WAL_KEEP_SIZE, "OFF")).maxSlotWalKeepSize())
                .isEqualTo("off");
    }

    @Test
    void maxSlotWalKeepSize_badValues_failAtSynthNamingTheKeyTheValueAndTheForms() {
        for (Object bad : List.of("", "50", "90%", "512MB", "lots", 20)) {
            assertThatThrownBy(() -> parse(with(CdcEnablerConfig.MAX_SLOT_WAL_KEEP_SIZE, bad))).as(bad.toString())
                    .isInstanceOf(InvalidContextException.class)
                    .hasMessageContaining("CDK context maxSlotWalKeepSize must be a size such as 51200MB, 50GB or 1TB")
                    .hasMessageContaining("20% (5-80%), or off, was \"" + bad + "\"");
        }
    }

    @Test
    void fromContext_whenRequiredKeysMissing_namesThemAllWithAnExampleCommand() {
        Map<String, Object> context = new HashMap<>();
        context.put(CdcEnablerConfig.SUBNET_IDS, "");

        assertThatThrownBy(() -> parse(context))
                .isInstanceOf(InvalidContextException.class)
                .hasMessageContaining("missing CDK context vpcId, subnetIds, securityGroupId")
                .hasMessageContaining("cdk deploy -c vpcId=vpc-")
                .hasMessageContaining("-c subnetIds=subnet-")
                .hasMessageContaining("-c securityGroupId=sg-");
    }

    @Test
    void fromContext_whenListsAreCommaSeparatedStrings_splitsAndTrimsThem() {
        Map<String, Object> context = with(CdcEnablerConfig.SUBNET_IDS,
                "subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2 ,");
        context.put(CdcEnablerConfig.SCHEMAS, "public,sales");
        context.put(CdcEnablerConfig.AVAILABILITY_ZONES, List.of("eu-west-1a", "eu-west-1b"));

        CdcEnablerConfig config = parse(context);

        assertThat(config.subnetIds()).isEqualTo(TestStacks.SUBNET_IDS);
        assertThat(config.schemas()).containsExactly("public", "sales");
        assertThat(config.availabilityZones()).containsExactly("eu-west-1a", "eu-west-1b");
    }

    @Test
    void fromContext_whenNumbersComeFromCdkJson_acceptsWholeDoubles() {
        Map<String, Object> context = with(CdcEnablerConfig.WAIT_SECONDS, 60.0);
        context.put(CdcEnablerConfig.LOG_RETENTION_DAYS, 7);

        CdcEnablerConfig config = parse(context);

        assertThat(config.waitSeconds()).isEqualTo(60);
        assertThat(config.logRetention()).isEqualTo(RetentionDays.ONE_WEEK);
    }

    @Test
    void fromContext_whenRebootPolicyIsLowerCase_normalisesIt() {
        assertThat(parse(with(CdcEnablerConfig.REBOOT_POLICY, "none")).rebootPolicy()).isEqualTo("NONE");
    }

    @Test
    void fromContext_whenAValueIsInvalid_namesTheKeyTheExpectationAndTheValue() {
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.REBOOT_POLICY, "later")))
                .isInstanceOf(InvalidContextException.class)
                .hasMessage("CDK context rebootPolicy must be one of IMMEDIATE, NEXT_MAINTENANCE_WINDOW, NONE, "
                        + "was \"LATER\"");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.VPC_ID, "my-vpc")))
                .hasMessageStartingWith("CDK context vpcId must be a VPC ID").hasMessageEndingWith("was \"my-vpc\"");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.SUBNET_IDS, "subnet-0aaaaaaaaaaaaaaa1,sg-0123456789")))
                .hasMessageStartingWith("CDK context subnetIds must be one or more subnet IDs")
                .hasMessageContaining("sg-0123456789");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.TRACKING_MODE, "TABLES")))
                .hasMessageStartingWith("CDK context trackingMode must be ALL_TABLES");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.WAIT_SECONDS, "soon")))
                .hasMessage("CDK context waitSeconds must be a whole number, was \"soon\"");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.WAIT_SECONDS, 2)))
                .hasMessageStartingWith("CDK context waitSeconds must be a whole number of seconds between 5 and 3600");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.LOG_RETENTION_DAYS, 10)))
                .hasMessageStartingWith("CDK context logRetentionDays must be a retention CloudWatch Logs accepts")
                .hasMessageEndingWith("was 10");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.ADMIN_SECRET_ARNS, "prod/admin")))
                .hasMessageStartingWith("CDK context adminSecretArns must be Secrets Manager secret ARNs");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.SECRET_KMS_KEY_ARNS, "alias/aws/secretsmanager")))
                .hasMessageStartingWith("CDK context secretKmsKeyArns must be KMS key ARNs");
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.PUBLICATION, "Bad Name")))
                .hasMessageStartingWith("CDK context publication must be a PostgreSQL identifier");
    }

    @Test
    void fromContext_whenTheLambdaJarIsMissing_saysHowToBuildIt() {
        assertThatThrownBy(() -> parse(with(CdcEnablerConfig.LAMBDA_JAR, "no/such.jar")))
                .isInstanceOf(InvalidContextException.class)
                .hasMessageStartingWith("CDK context lambdaJar must be the Lambda jar")
                .hasMessageContaining("mvn -pl functions -am package -DskipTests")
                .hasMessageContaining(Path.of("no/such.jar").toAbsolutePath().normalize().toString());
    }

    @Test
    void defaultLambdaJar_isTheFunctionsModulesShadedJar() {
        assertThat(CdcEnablerConfig.DEFAULT_LAMBDA_JAR).isEqualTo("../functions/target/cdc-enabler-lambda.jar");
    }
}
