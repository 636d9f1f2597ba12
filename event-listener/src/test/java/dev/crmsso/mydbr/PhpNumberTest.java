package dev.crmsso.mydbr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The admin flag as PHP 8 reads it: {@code == 1} for numeric strings, nothing for the rest. */
class PhpNumberTest {

    @ParameterizedTest(name = "[{0}] one={1} flag={2}")
    @CsvSource(delimiter = ';', value = {
        "1;true;true", "01;true;true", "' 1';true;true", "'1 ';true;true", "+1;true;true", "1.0;true;true",
        "1.;true;true", "1e0;true;true", "0.1e1;true;true", "10e-1;true;true",
        "0;false;true", "00;false;true", "-0;false;true", ".0;false;true", "0e5;false;true",
        "10;false;false", "2;false;false", "1x;false;false", "x1;false;false", "1 0;false;false", "0x1;false;false",
        "'';false;false", "' ';false;false", "e1;false;false", "1e;false;false", "1e99999999999;false;false"})
    void readsTheFlagAsPhpDoes(String value, boolean one, boolean flag) {
        assertEquals(one, PhpNumber.isOne(value), "== 1");
        assertEquals(flag, PhpNumber.isFlag(value), "0 or 1");
    }
}
