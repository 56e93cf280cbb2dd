package io.dataflare.workflow.validation;

import io.dataflare.workflow.definition.DefinitionParser;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.LocatedJson;
import io.dataflare.workflow.definition.Problems;
import io.dataflare.workflow.definition.StateMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and validates definitions: nothing runs unless this finds no problem at all. */
public final class Definitions {
    private Definitions() {}

    /**
     * Reads a definition file (JSON, or YAML for {@code .yaml}/{@code .yml}) and checks it.
     *
     * @throws InvalidDefinitionException with every problem, each as {@code file:line:column: message}
     */
    public static StateMachine load(Path file, ResourceCheck resources) throws InvalidDefinitionException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidDefinitionException(java.util.List.of(new io.dataflare.workflow.definition.Problem(
                    new io.dataflare.workflow.definition.Location(file.toString(), 1, 1),
                    "cannot read the definition: " + e)));
        }
        return parse(text, file.toString(), LocatedJson.isYaml(file.toString()), resources);
    }

    /** Checks a definition given as text; {@code file} is the name problems are reported under. */
    public static StateMachine parse(String text, String file, boolean yaml, ResourceCheck resources)
            throws InvalidDefinitionException {
        return check(LocatedJson.read(text, file, yaml), resources);
    }

    /** Checks an already read document. */
    public static StateMachine check(LocatedJson json, ResourceCheck resources) throws InvalidDefinitionException {
        Problems problems = new Problems(json);
        StateMachine m = DefinitionParser.parse(json, problems);
        GraphCheck.check(m, problems, resources);
        problems.throwIfAny();
        return m;
    }
}
