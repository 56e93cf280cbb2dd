package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A client command: calls the server, prints the answer (text, or JSON with {@code --json}). Exit code 0 when
 * the server did it, 1 when it refused or could not be reached, 2 for invalid input (a pipeline that does
 * not validate, a bad request).
 */
abstract class ClientCall implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    /** What Ctrl-C ends when the command runs in the shell; null otherwise. */
    CommandInterrupt interrupt;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ApiClient client = options.client()) {
            if (interrupt != null) interrupt.running(client);
            try {
                return run(client, out, err);
            } finally {
                if (interrupt != null) interrupt.done();
            }
        } catch (ApiException e) {
            printError(e, err);
            return e.status() == 400 || e.status() == 413 || e.status() == 415 || e.status() == 422
                    ? ExitCodes.INVALID
                    : ExitCodes.FAILED;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (NoSuchFileException e) {
            err.println("error: " + e.getFile() + ": no such file");
            return ExitCodes.INVALID;
        } catch (IOException e) {
            err.println("error: cannot read " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (InterruptedException e) {
            err.println("error: interrupted");
            return ExitCodes.FAILED;
        }
    }

    /**
     * {@code file}, when it is a file that can be read.
     *
     * @throws IllegalArgumentException saying that it does not exist, is a folder, or cannot be read
     */
    static Path readableFile(Path file) {
        if (!Files.exists(file)) throw new IllegalArgumentException(file + ": no such file");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a folder, not a file");
        if (!Files.isReadable(file)) throw new IllegalArgumentException(file + ": not readable (permission denied)");
        return file;
    }

    /** Does the work; returns the exit code. */
    abstract int run(ApiClient client, PrintWriter out, PrintWriter err)
            throws ApiException, InterruptedException, IOException;

    /** Whether {@code --json} was given. */
    boolean json() {
        return options.json;
    }

    Style style() {
        return Style.forTerminal();
    }

    /** A server error; problems are printed one per line, with their locations. */
    void printError(ApiException e, PrintWriter err) {
        err.println("error: " + e.getMessage());
        JsonNode problems = e.body() == null ? null : e.body().path("problems");
        if (problems != null) {
            for (JsonNode p : problems)
                err.println(location(p) + ": " + p.path("message").asText());
        }
    }

    /** Where a problem is (commands that sent a file name it instead of the request body). */
    String location(JsonNode problem) {
        return problem.path("location").asText();
    }

    static void printJson(PrintWriter out, JsonNode n) {
        try {
            out.println(ApiClient.json().writeValueAsString(n));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
