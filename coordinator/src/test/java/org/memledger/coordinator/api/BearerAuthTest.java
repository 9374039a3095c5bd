package org.memledger.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerAuthTest {
    private static final String A = BearerAuth.sha256Hex("token-a");
    private static final String B = BearerAuth.sha256Hex("token-b");
    private static final String C = BearerAuth.sha256Hex("token-c");
    private static final String D = BearerAuth.sha256Hex("token-d");

    @TempDir
    Path dir;

    @Test
    void sha256HexIsTheLowerCaseDigestOfTheUtf8Token() {
        assertThat(BearerAuth.sha256Hex("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    @Test
    void theLineFormatNamesRolesAndScopes() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# memledger tokens\n\n"
                + A + "  admin\n" + B.toUpperCase() + " operator n1,rack-*   # the rack team\n"
                + C + "\tclient alice\n" + D + " viewer\n");
        BearerAuth auth = BearerAuth.load(file);

        assertThat(auth.enabled()).isTrue();
        assertThat(auth.tokenCount()).isEqualTo(4);
        assertThat(auth.authenticate("Bearer token-a").role()).isEqualTo(Role.ADMIN);
        Principal operator = auth.authenticate("bearer token-b");
        assertThat(operator.manages("n1")).isTrue();
        assertThat(operator.manages("rack-17")).isTrue();
        assertThat(operator.manages("n2")).isFalse();
        Principal client = auth.authenticate("Bearer  token-c ");
        assertThat(client.owner()).isEqualTo("alice");
        assertThat(client.actsFor("alice")).isTrue();
        assertThat(client.actsFor("bob")).isFalse();
        assertThat(client.sees("bob")).isFalse();
        assertThat(auth.authenticate("Bearer token-d").sees("bob")).isTrue();
        assertThatThrownBy(() -> auth.authenticate("Bearer token-e")).isInstanceOf(ApiError.class)
                .extracting("code").isEqualTo(ApiError.Code.UNAUTHENTICATED);
        assertThatThrownBy(() -> auth.authenticate(null)).isInstanceOf(ApiError.class);
    }

    @Test
    void theJsonFormatIsReadStrictly() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.json"), "{\"tokens\":["
                + "{\"sha256\":\"" + A + "\",\"role\":\"client\",\"owner\":\"alice\",\"name\":\"alice-ci\"},"
                + "{\"sha256\":\"" + B + "\",\"role\":\"operator\",\"nodes\":[\"n?\"]}]}");
        BearerAuth auth = BearerAuth.load(file);
        assertThat(auth.authenticate("Bearer token-a").name()).isEqualTo("alice-ci");
        assertThat(auth.authenticate("Bearer token-b").manages("n7")).isTrue();
        assertThat(auth.authenticate("Bearer token-b").manages("n17")).isFalse();

        Path unknownField = Files.writeString(dir.resolve("bad.json"), "{\"tokens\":[{\"sha256\":\"" + A
                + "\",\"role\":\"admin\",\"scope\":\"x\"}]}");
        assertThatThrownBy(() -> BearerAuth.load(unknownField)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.json");
    }

    @Test
    void mistakesInTheFileNameTheLine() {
        assertThatThrownBy(() -> BearerAuth.parse("plain-token-not-a-hash admin\n"))
                .hasMessageContaining("line 1").hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> BearerAuth.parse(A + " admin\n" + B + " superuser\n"))
                .hasMessageContaining("line 2").hasMessageContaining("role");
        assertThatThrownBy(() -> BearerAuth.parse(A + " client\n")).hasMessageContaining("owner");
        assertThatThrownBy(() -> BearerAuth.parse(A + " operator\n")).hasMessageContaining("node");
        assertThatThrownBy(() -> BearerAuth.parse(A + " viewer everything\n")).hasMessageContaining("no scope");
        assertThatThrownBy(() -> BearerAuth.parse(A + " admin\n" + A + " viewer\n")).hasMessageContaining("twice");
        assertThatThrownBy(() -> BearerAuth.parse("# nothing\n")).hasMessageContaining("no tokens");
    }

    @Test
    void globsMatchWholeIds() {
        assertThat(Principal.Glob.matches("rack-*", "rack-")).isTrue();
        assertThat(Principal.Glob.matches("rack-*", "rack-a-b")).isTrue();
        assertThat(Principal.Glob.matches("rack-*", "xrack-a")).isFalse();
        assertThat(Principal.Glob.matches("*-gpu", "n1-gpu")).isTrue();
        assertThat(Principal.Glob.matches("n?", "n1")).isTrue();
        assertThat(Principal.Glob.matches("n?", "n")).isFalse();
        assertThat(Principal.Glob.matches("*a*b*", "xxaybz")).isTrue();
        assertThat(Principal.Glob.matches("n1", "n10")).isFalse();
    }
}
