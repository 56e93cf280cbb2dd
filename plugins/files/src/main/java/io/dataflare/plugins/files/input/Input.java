package io.dataflare.plugins.files.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** One input a {@link DecodingSource} reads: a file, or standard input. */
public interface Input {
    /** How the input is named in positions, headers and messages. */
    Origin origin();

    /** Opens the bytes; closing the stream releases the input. */
    InputStream open() throws IOException;

    /** The files as inputs, in the order of their ids (which {@link DecodingSource#seek} relies on). */
    static List<Input> files(List<Path> paths) {
        return paths.stream()
                .map(Input::file)
                .sorted(Comparator.comparing(i -> i.origin().id()))
                .toList();
    }

    /** A file, identified by its absolute path. */
    static Input file(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Origin origin = new Origin(p.toString(), p.getFileName().toString());
        return new Input() {
            @Override
            public Origin origin() {
                return origin;
            }

            @Override
            public InputStream open() throws IOException {
                // ByteInput reads in large chunks itself, so no BufferedInputStream in between.
                return Files.newInputStream(p);
            }
        };
    }

    /**
     * Standard input, read by a thread of its own (see {@link TrickleInput}); closing the stream leaves
     * {@code System.in} open.
     */
    static Input stdin() {
        Origin origin = new Origin("stdin", "stdin");
        return new Input() {
            @Override
            public Origin origin() {
                return origin;
            }

            @Override
            public InputStream open() {
                return TrickleInput.of(System.in, "stdin");
            }
        };
    }
}
