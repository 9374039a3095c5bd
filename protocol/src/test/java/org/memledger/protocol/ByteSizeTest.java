package org.memledger.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ByteSizeTest {
    private static final long KI = 1L << 10;
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;

    static Stream<Arguments> validSizes() {
        return Stream.of(
                Arguments.of("0", 0L),
                Arguments.of("1048576", 1_048_576L),
                Arguments.of("9223372036854775807", Long.MAX_VALUE),
                Arguments.of("1B", 1L),
                Arguments.of("1 B", 1L),
                Arguments.of("1Ki", KI),
                Arguments.of("1KiB", KI),
                Arguments.of("512Mi", 512 * MI),
                Arguments.of("512MiB", 512 * MI),
                Arguments.of("2GiB", 2 * GI),
                Arguments.of("1 GiB", GI),
                Arguments.of("3Ti", 3L << 40),
                Arguments.of("3TiB", 3L << 40),
                Arguments.of("5Pi", 5L << 50),
                Arguments.of("5PiB", 5L << 50),
                Arguments.of("7Ei", 7L << 60),
                Arguments.of("7EiB", 7L << 60),
                Arguments.of("8191Pi", 8191L << 50),
                Arguments.of("1k", 1_000L),
                Arguments.of("1K", 1_000L),
                Arguments.of("1kB", 1_000L),
                Arguments.of("1KB", 1_000L),
                Arguments.of("1M", 1_000_000L),
                Arguments.of("1MB", 1_000_000L),
                Arguments.of("1G", 1_000_000_000L),
                Arguments.of("1GB", 1_000_000_000L),
                Arguments.of("1T", 1_000_000_000_000L),
                Arguments.of("1TB", 1_000_000_000_000L),
                Arguments.of("1P", 1_000_000_000_000_000L),
                Arguments.of("1PB", 1_000_000_000_000_000L),
                Arguments.of("1E", 1_000_000_000_000_000_000L),
                Arguments.of("1EB", 1_000_000_000_000_000_000L),
                Arguments.of("9.223372036854775807E", Long.MAX_VALUE),
                Arguments.of("1.5G", 1_500_000_000L),
                Arguments.of("1.5Gi", 1_610_612_736L),
                Arguments.of("1.5GiB", 1_610_612_736L),
                Arguments.of("0.5Gi", 536_870_912L),
                Arguments.of(".5Ki", 512L),
                Arguments.of("1.Ki", KI),
                Arguments.of("0.001k", 1L),
                Arguments.of("1.000", 1L),
                Arguments.of("+2Mi", 2 * MI),
                Arguments.of("-0", 0L),
                Arguments.of("  64Mi \t", 64 * MI),
                Arguments.of("1e3", 1_000L),
                Arguments.of("1E3", 1_000L),
                Arguments.of("1e9", 1_000_000_000L),
                Arguments.of("1e+9", 1_000_000_000L),
                Arguments.of("1.5e3", 1_500L),
                Arguments.of("2000e-3", 2L),
                Arguments.of("0e999999999999", 0L),
                Arguments.of("1e18", 1_000_000_000_000_000_000L));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("validSizes")
    void parsesValidSizes(String text, long expected) {
        assertThat(ByteSize.parse(text)).isEqualTo(expected);
        assertThat(ByteSize.parse("firm", text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0.1Ki               | is not a whole number of bytes",
        "1.5                 | is not a whole number of bytes",
        "0.0001k             | is not a whole number of bytes",
        "15e-1               | is not a whole number of bytes",
        "1e-999999999        | is not a whole number of bytes",
        "8Ei                 | is too large",
        "8EiB                | is too large",
        "8192Pi              | is too large",
        "9223372036854775808 | is too large",
        "10E                 | is too large",
        "1e19                | is too large",
        "1e999999999         | is too large",
        "-1                  | must not be negative",
        "-1Ki                | must not be negative",
        "-0.5                | must not be negative",
        "12XB                | is not a byte size",
        "1m                  | is not a byte size",
        "1mi                 | is not a byte size",
        "1gi                 | is not a byte size",
        "1Gib                | is not a byte size",
        "1b                  | is not a byte size",
        "1kiB                | is not a byte size",
        "1  GiB              | is not a byte size",
        "1 e3                | is not a byte size",
        "1e3Ki               | is not a byte size",
        "1e                  | is not a byte size",
        "1e+                 | is not a byte size",
        "1ee3                | is not a byte size",
        "1e1.5               | is not a byte size",
        "GiB                 | is not a byte size",
        ".                   | is not a byte size",
        "-                   | is not a byte size",
        "1.2.3               | is not a byte size",
        "0x10                | is not a byte size",
        "1_000               | is not a byte size",
        "١٢                  | is not a byte size",
        "NaN                 | is not a byte size",
        "Infinity            | is not a byte size",
        "1\tGi               | is not a byte size",
    })
    void refusesInvalidSizes(String text, String expected) {
        assertThatThrownBy(() -> ByteSize.parse("firm", text))
                .isInstanceOf(ByteSizeException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("firm: '" + text.strip() + "'")
                .hasMessageContaining(expected);
    }

    @Test
    void commaDecimalIsRefused() {
        assertThatThrownBy(() -> ByteSize.parse("firm", "1,5G")).hasMessageContaining("is not a byte size");
    }

    @Test
    void errorMessagesNameFieldAndText() {
        assertThatThrownBy(() -> ByteSize.parse("firm", "12XB"))
                .hasMessage("firm: '12XB' is not a byte size (examples: 1048576, 512Mi, 2GiB, 1.5G)")
                .isInstanceOfSatisfying(ByteSizeException.class, e -> {
                    assertThat(e.field()).isEqualTo("firm");
                    assertThat(e.text()).isEqualTo("12XB");
                });
        assertThatThrownBy(() -> ByteSize.parse("12XB"))
                .hasMessage("'12XB' is not a byte size (examples: 1048576, 512Mi, 2GiB, 1.5G)");
        assertThatThrownBy(() -> ByteSize.parse("min", "0.1Ki"))
                .hasMessage("min: '0.1Ki' is not a whole number of bytes (102.4)");
    }

    @Test
    void missingValuesAreRequired() {
        for (String text : new String[] {null, "", " ", "\t\n"}) {
            assertThatThrownBy(() -> ByteSize.parse("firm", text))
                    .isInstanceOf(ByteSizeException.class)
                    .hasMessageStartingWith("firm: ")
                    .hasMessageContaining("is required");
        }
    }

    @Test
    void absurdlyLongTextIsRefusedCheaply() {
        assertThatThrownBy(() -> ByteSize.parse("firm", "1" + "0".repeat(100)))
                .isInstanceOf(ByteSizeException.class).hasMessageContaining("is too long");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 0",
        "1, 1",
        "1000, 1000",
        "1023, 1023",
        "1024, 1Ki",
        "1536, 1536",
        "536870912, 512Mi",
        "1610612736, 1536Mi",
        "1073741824, 1Gi",
        "4611686018427387904, 4Ei",
        "9223372036854775807, 9223372036854775807",
        "-1024, -1Ki",
        "-9223372036854775808, -8Ei",
    })
    void formatsExactly(long bytes, String expected) {
        assertThat(ByteSize.format(bytes)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 0 B",
        "512, 512 B",
        "1023, 1023 B",
        "1024, 1.00 KiB",
        "1034, 1.01 KiB",
        "1152, 1.13 KiB",
        "1535, 1.50 KiB",
        "1048575, 1.00 MiB",
        "1610612736, 1.50 GiB",
        "9223372036854775807, 8.00 EiB",
        "-1536, -1.50 KiB",
        "-9223372036854775808, -8.00 EiB",
    })
    void formatsApproximately(long bytes, String expected) {
        assertThat(ByteSize.formatApprox(bytes)).isEqualTo(expected);
    }

    @TestFactory
    Stream<DynamicTest> parseInvertsFormat() {
        return Stream.of(1L, 2L, 3L, 4L, 5L).map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 10_000; i++) {
                long bytes = randomSize(random);
                String text = ByteSize.format(bytes);
                assertThat(ByteSize.parse(text)).as("%d formatted as %s (seed %d)", bytes, text, seed).isEqualTo(bytes);
                String approx = ByteSize.formatApprox(bytes);
                assertThat(approx).as("approx of %d (seed %d)", bytes, seed).matches("\\d+( B|\\.\\d\\d [KMGTPE]iB)");
            }
        }));
    }

    /** Mostly sizes that are multiples of binary units, since those exercise the suffixes. */
    private static long randomSize(SplittableRandom random) {
        switch (random.nextInt(4)) {
            case 0:
                return random.nextLong(Long.MAX_VALUE) + (random.nextBoolean() ? 1 : 0);
            case 1:
                return random.nextLong(1 << 20);
            default:
                int unitBits = 10 * random.nextInt(7);
                return random.nextLong(Long.MAX_VALUE >> unitBits) << unitBits;
        }
    }
}
