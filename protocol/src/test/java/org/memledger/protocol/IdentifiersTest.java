package org.memledger.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class IdentifiersTest {
    /** The documented rule, as a regex: the table-driven check must agree with it everywhere. */
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    @Test
    void everyCharacterFirstAndLaterAgreesWithTheRule() {
        for (char c = 0; c < 0x400; c++) {
            String first = c + "a";
            String later = "a" + c;
            assertThat(Identifiers.isValid(first)).as("U+%04X first", (int) c).isEqualTo(RULE.matcher(first).matches());
            assertThat(Identifiers.isValid(later)).as("U+%04X later", (int) c).isEqualTo(RULE.matcher(later).matches());
        }
        assertThat(Identifiers.isValid("\uFFFFa")).isFalse();
        assertThat(Identifiers.isValid("a\u0100")).isFalse();
    }

    @Test
    void lengthIsOneTo128() {
        assertThat(Identifiers.isValid(null)).isFalse();
        assertThat(Identifiers.isValid("")).isFalse();
        assertThat(Identifiers.isValid("x")).isTrue();
        assertThat(Identifiers.isValid("x".repeat(128))).isTrue();
        assertThat(Identifiers.isValid("x".repeat(129))).isFalse();
        assertThat(Identifiers.isValid("dep-0001234")).isTrue();
        assertThat(Identifiers.isValid("-dep")).isFalse();
        assertThat(Identifiers.isValid("dep:drain")).isFalse();
    }
}
