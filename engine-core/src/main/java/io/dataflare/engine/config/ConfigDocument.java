package io.dataflare.engine.config;

import java.util.List;

/**
 * A configuration file read into nodes, with the problems found while reading it that left the tree
 * whole (an unset variable, a duplicate key), so that whoever checks the tree next can report its own
 * problems in the same pass.
 *
 * @param root     the document
 * @param problems the reading problems, in the order found (empty when there were none)
 */
public record ConfigDocument(MapNode root, List<Problem> problems) {
    public ConfigDocument {
        problems = List.copyOf(problems);
    }

    /**
     * The root, if there were no problems.
     *
     * @throws InvalidConfigException listing the problems otherwise
     */
    public MapNode rootOrThrow() {
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return root;
    }
}
