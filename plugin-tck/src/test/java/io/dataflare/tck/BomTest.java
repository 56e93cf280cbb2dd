package io.dataflare.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM has no parent (so that importing it brings no build pins along): its version and the PF4J it names
 * must follow the build's by hand, and this checks they do.
 */
class BomTest {
    private static String first(Path pom, String regex) throws Exception {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(pom));
        assertThat(m.find()).as("%s in %s", regex, pom).isTrue();
        return m.group(1);
    }

    @Test
    void theBomNamesThisBuildsVersionAndItsPf4j() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path bom = root.resolve("bom/pom.xml");
        Path parent = root.resolve("pom.xml");
        String version = "<artifactId>%s</artifactId>\\s*<version>([^<]+)</version>";
        assertThat(first(bom, version.formatted("dataflare-bom")))
                .isEqualTo(first(parent, version.formatted("dataflare-parent")));
        assertThat(first(bom, "<pf4j.version>([^<]+)</pf4j.version>"))
                .isEqualTo(first(parent, "<pf4j.version>([^<]+)</pf4j.version>"));
    }
}
