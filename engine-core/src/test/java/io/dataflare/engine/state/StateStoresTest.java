package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** State store descriptions: the accepted forms open, anything else is refused before anything is created. */
class StateStoresTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            postgres://host/db              | 'postgres:' is not a state store scheme (did you mean jdbc:postgresql://host/db?)
            postgresql://host/db?user=u     | 'postgresql:' is not a state store scheme (did you mean jdbc:postgresql://host/db?user=u?)
            sqlite:state.db                 | 'sqlite:' is not a state store scheme (did you mean jdbc:sqlite:state.db?)
            s3://bucket/state               | 's3:' is not a state store scheme
            redis:localhost                 | 'redis:' is not a state store scheme
            jdbc:mysql://host/db            | 'jdbc:mysql:' is not supported: only jdbc:sqlite: and jdbc:postgresql: are
            jdbc:                           | 'jdbc:' needs a database type
            jdbc:sqlite:                    | jdbc:sqlite: needs a database file
            jdbc:postgresql:                | jdbc:postgresql: needs a database
            memory:forever                  | 'memory:' takes nothing after the colon
            file:                           | 'file:' needs a directory after the colon
            """)
    void unknownSchemesAndUnusableUrlsAreRefusedListingTheAcceptedForms(String spec, String why) {
        assertThatThrownBy(() -> StateStores.check(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid state store '" + spec + "': " + why)
                .hasMessageEndingWith("; use " + StateStores.FORMS);
        assertThatThrownBy(() -> StateStores.open(spec)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Path.of(spec.substring(0, spec.indexOf(':') + 1)))
                .as("no directory made of the URL")
                .doesNotExist();
    }

    @Test
    void passwordsInARefusedUrlAreNotEchoed() {
        assertThatThrownBy(() -> StateStores.check("postgres://admin:hunter2@db/state?password=hunter2"))
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("admin:***@");
    }

    @Test
    void plainDirectoriesAndFileUrlsOpenFileStores() {
        Path plain = dir.resolve("some/dir");
        try (StateStore s = StateStores.open(plain.toString())) {
            assertThat(s.describe()).isEqualTo("file:" + plain);
        }
        assertThat(plain).isDirectory();
        try (StateStore s = StateStores.open("file:" + dir.resolve("other"))) {
            assertThat(s.describe()).isEqualTo("file:" + dir.resolve("other"));
        }
        try (StateStore s = StateStores.open(dir.resolve("third").toUri().toString())) {
            assertThat(s.describe()).isEqualTo("file:" + dir.resolve("third"));
        }
        StateStores.check("relative/state/dir");
        StateStores.check("C:/state"); // a drive letter, not a scheme
        assertThat(Path.of("relative")).as("checking creates nothing").doesNotExist();
    }

    @Test
    void memoryAndSqliteOpen() {
        try (StateStore s = StateStores.open("memory:")) {
            assertThat(s).isInstanceOf(MemoryStateStore.class);
        }
        try (StateStore s = StateStores.open("jdbc:sqlite:" + dir.resolve("state.db"))) {
            assertThat(s).isInstanceOf(JdbcStateStore.class);
        }
    }

    @Test
    void aFileInTheWayOfADirectoryOrAMissingSqliteDirectoryIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        assertThatThrownBy(() -> StateStores.check(file.toString()))
                .hasMessageContaining(file + " is a file, not a directory");
        assertThatThrownBy(() -> StateStores.check("file:" + file.resolve("state")))
                .hasMessageContaining(
                        "the directory " + file.resolve("state") + " cannot be created: " + file + " is a file");
        assertThatThrownBy(() -> StateStores.check("jdbc:sqlite:" + dir.resolve("nowhere/state.db")))
                .hasMessageContaining("the directory " + dir.resolve("nowhere") + " does not exist");
        assertThatThrownBy(() -> StateStores.check("jdbc:sqlite:" + dir))
                .hasMessageContaining(dir + " is a directory, not a database file");
    }
}
