package io.cdcenabler.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

class CdcEnablerAppTest {

    @Test
    void create_withoutTheNetworkContext_failsNamingTheMissingKeysAndAnExample() {
        App app = new App(AppProps.builder()
                .context(Map.of(CdcEnablerConfig.LAMBDA_JAR, TestStacks.standInJar().toString()))
                .outdir(TestStacks.TARGET.resolve("cdk-test-out/missing").toString())
                .build());

        assertThatThrownBy(() -> CdcEnablerApp.create(app))
                .isInstanceOf(InvalidContextException.class)
                .hasMessageContaining("missing CDK context vpcId, subnetIds, securityGroupId")
                .hasMessageContaining(CdcEnablerConfig.EXAMPLE);
    }
}
