package io.dataflare.engine.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.plugin.PluginReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionRangeTest {
    @ParameterizedTest(name = "{0} includes {1}: {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "^1       ; 1.2.0 ; true",
                "^1       ; 2.0.0 ; false",
                "^1.2     ; 1.1.9 ; false",
                "~1.2.3   ; 1.2.9 ; true",
                "~1.2.3   ; 1.3.0 ; false",
                "1.x      ; 1.9.9 ; true",
                "2.x      ; 1.9.9 ; false",
                ">=1 <2   ; 1.5.0 ; true",
                ">=1.0 <2 ; 2.0.0 ; false",
                ">= 1.0 < 2 ; 1.0.0 ; true",
                "1.2.0    ; 1.2.0 ; true",
                "1.2.0    ; 1.2.1 ; false",
                "1.0 || 2.x ; 2.3.0 ; true",
                "1.2 - 1.4 ; 1.3.0 ; true",
                "*        ; 0.0.1 ; true",
                "latest   ; 9.0.0 ; true",
                "^1       ; not-a-version ; false",
            })
    void npmStyleRanges(String range, String version, boolean expected) {
        assertThat(VersionRange.parse(range).includes(version)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"'>>1'", "'^'", "'1.2.3.4.5'"})
    void badRangesAreRejectedWithTheRangeInTheMessage(String range) {
        assertThatThrownBy(() -> VersionRange.parse(range))
                .hasMessageContaining("'" + range + "' is not a version range");
    }

    @ParameterizedTest
    @CsvSource({
        "csv-file,csv-file,*,false",
        "mask@^1.2,mask,^1.2,false",
        "scripts/clean.js,scripts/clean.js,*,true",
        "x.wasm,x.wasm,*,true",
        "./p.jar,./p.jar,*,true"
    })
    void parsesUseReferences(String use, String name, String range, boolean path) {
        PluginReference r = PluginReference.parse(use);
        assertThat(r.name()).isEqualTo(name);
        assertThat(r.range()).hasToString(range);
        assertThat(r.path()).isEqualTo(path);
    }
}
