package io.dataflare.workflow.definition;

import io.dataflare.workflow.choice.Condition;

/** A top-level Choice rule: its condition and the state it goes to. */
public record ChoiceRule(Condition condition, String next) {}
