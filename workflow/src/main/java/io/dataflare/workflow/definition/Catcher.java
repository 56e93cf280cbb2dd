package io.dataflare.workflow.definition;

import java.util.List;

/** One {@code Catch} entry: on a matching error, the error output goes to {@code resultPath} and on to {@code next}. */
public record Catcher(List<String> errorEquals, String next, String resultPath) {}
