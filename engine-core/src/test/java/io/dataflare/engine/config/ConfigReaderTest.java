package io.dataflare.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
    private final Redactor redactor = new Redactor();
    private final ConfigReader reader = new ConfigReader(new Substitution(
            Map.of("HOME_DIR", "/data", "N", "7")::get,
            name -> name.equals("db-password") ? Optional.of("s3cr3t!") : Optional.empty(),
            redactor));

    @Test
    void remembersLineAndColumnOfKeysAndValues() {
        MapNode root = reader.read("""
                name: demo
                sources:
                  in:
                    use: csv-file
                """, "p.yaml", ConfigReader.Format.YAML);
        MapNode in = (MapNode) ((MapNode) root.get("sources")).get("in");
        assertThat(in.keyLocation("use")).hasToString("p.yaml:4:5");
        assertThat(in.get("use").location()).hasToString("p.yaml:4:10");
        assertThat(root.toPlain())
                .isEqualTo(Map.of("name", "demo", "sources", Map.of("in", Map.of("use", "csv-file"))));
    }

    @Test
    void substitutesEnvironmentDefaultsAndSecrets() {
        MapNode root = reader.read("""
                a: ${HOME_DIR}/in.csv
                b: ${MISSING:-fallback}
                c: "${N}"
                d: ${secret:db-password}
                e: $${literal}
                """, "p.yaml", ConfigReader.Format.YAML);
        assertThat(root.toPlain())
                .isEqualTo(Map.of("a", "/data/in.csv", "b", "fallback", "c", "7", "d", "s3cr3t!", "e", "${literal}"));
        assertThat(((ScalarNode) root.get("d")).secret()).isTrue();
        assertThat(redactor.redact("password=s3cr3t! here")).isEqualTo("password=*** here");
    }

    @Test
    void reportsEveryUnsetVariableAndUnknownSecretWithLocation() {
        assertThatThrownBy(() -> reader.read("a: ${NOPE}\nb: ${secret:other}\n", "p.yaml", ConfigReader.Format.YAML))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    List<Problem> p = e.problems();
                    assertThat(p).hasSize(2);
                    assertThat(p.get(0).toString()).startsWith("p.yaml:1:4: environment variable 'NOPE' is not set");
                    assertThat(p.get(1).toString())
                            .contains("p.yaml:2:4")
                            .contains("secret 'other' is not defined")
                            .contains("DATAFLARE_SECRET_OTHER");
                });
    }

    @Test
    void syntaxErrorsAndDuplicatesAreLocated() {
        assertThatThrownBy(() -> reader.read("a: [1, 2\nb: 3\n", "bad.yaml", ConfigReader.Format.YAML))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems().get(0).toString())
                                .startsWith("bad.yaml:")
                                .contains("syntax error"));
        assertThatThrownBy(() -> reader.read("a: 1\nb: 2\na: 3\n", "dup.yaml", ConfigReader.Format.YAML))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems().get(0).toString())
                                .isEqualTo("dup.yaml:3:1: duplicate key 'a' (first at line 1)"));
    }

    @Test
    void readsJsonAndToml() {
        MapNode json = reader.read("{\"name\": \"x\", // comment\n \"n\": 3,}", "p.json", ConfigReader.Format.JSON);
        assertThat(json.toPlain()).isEqualTo(Map.of("name", "x", "n", 3L));
        assertThat(json.keyLocation("n").line()).isEqualTo(2);
        MapNode toml =
                reader.read("name = \"x\"\n[sources.in]\nuse = \"csv-file\"\n", "p.toml", ConfigReader.Format.TOML);
        assertThat(toml.toPlain()).isEqualTo(Map.of("name", "x", "sources", Map.of("in", Map.of("use", "csv-file"))));
    }

    @Test
    void rejectsEmptyAndNonMapDocuments() {
        assertThatThrownBy(() -> reader.read("  \n", "e.yaml", ConfigReader.Format.YAML))
                .hasMessageContaining("e.yaml:1:1: the file is empty");
        assertThatThrownBy(() -> reader.read("- a\n- b\n", "l.yaml", ConfigReader.Format.YAML))
                .hasMessageContaining("l.yaml:1:1: expected a map of settings, found a list");
    }
}
