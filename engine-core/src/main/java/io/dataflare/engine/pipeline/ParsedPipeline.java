package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Problem;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A pipeline file read as far as it goes, for {@link PipelineValidator} to finish checking in the same
 * pass: the definition of everything that could be read, the problems found so far, and what could not
 * be read, so that validation adds the problems that are independent of those and none that merely
 * repeat them (a {@code from:} naming a stage that is written but broken is not "not a stage"; a stage
 * whose {@code from:} could not be read does not make its upstream "feed nothing").
 *
 * @param definition     the pipeline; a stage whose {@code use:} could not be read has a null
 *                       {@link StageDefinition#component()} (only when {@code problems} is not empty)
 * @param problems       the problems found while reading and parsing
 * @param stageNames     every stage name written, in file order, including stages that could not be read
 * @param rolesWritten   the roles whose section is written and not empty
 * @param fromIncomplete whether some stage's {@code from:} could not be read (or a stage was dropped), so
 *                       the graph may lack edges
 */
public record ParsedPipeline(
        PipelineDefinition definition,
        List<Problem> problems,
        Set<String> stageNames,
        Set<StageRole> rolesWritten,
        boolean fromIncomplete) {
    public ParsedPipeline {
        problems = List.copyOf(problems);
        stageNames = Collections.unmodifiableSet(new LinkedHashSet<>(stageNames));
        rolesWritten = rolesWritten.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(rolesWritten));
    }

    /** A definition that was parsed without problems (or built in code): complete, nothing missing. */
    public static ParsedPipeline of(PipelineDefinition definition) {
        Set<String> names = new LinkedHashSet<>();
        Set<StageRole> roles = EnumSet.noneOf(StageRole.class);
        for (StageDefinition s : definition.stages()) {
            names.add(s.name());
            roles.add(s.role());
        }
        return new ParsedPipeline(definition, List.of(), names, roles, false);
    }

    /**
     * The same, with the pipeline named {@code name} and that name as its identity (the task server names
     * pipelines after their task, and keeps their checkpoints under it).
     */
    public ParsedPipeline named(String name) {
        PipelineDefinition d = definition;
        return new ParsedPipeline(
                new PipelineDefinition(
                        name, name, d.source(), d.baseDir(), d.stages(), d.policies(), d.runtime(), d.redactor()),
                problems,
                stageNames,
                rolesWritten,
                fromIncomplete);
    }
}
