package io.dataflare.engine.pipeline;

import java.util.function.Predicate;

/**
 * What one {@code from:} entry reads: a stage's main output ({@code from: clean}) or one of its named
 * outputs ({@code from: router.high}). Stage names may contain '.', so a written name that is a stage is
 * that stage's main output; otherwise the part after the last '.' is an output of the stage before it.
 *
 * @param stage  the stage read from (as written when it names no stage at all)
 * @param output the named output, or null for the main output
 */
public record StageRef(String stage, String output) {
    /** Reads {@code written} against the stage names {@code isStage} knows. */
    public static StageRef of(String written, Predicate<String> isStage) {
        if (isStage.test(written)) return new StageRef(written, null);
        int dot = written.lastIndexOf('.');
        if (dot > 0 && dot < written.length() - 1 && isStage.test(written.substring(0, dot))) {
            return new StageRef(written.substring(0, dot), written.substring(dot + 1));
        }
        return new StageRef(written, null);
    }

    /** As written: {@code stage} or {@code stage.output}. */
    @Override
    public String toString() {
        return output == null ? stage : stage + "." + output;
    }
}
