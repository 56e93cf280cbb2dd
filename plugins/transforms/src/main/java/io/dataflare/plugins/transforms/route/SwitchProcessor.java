package io.dataflare.plugins.transforms.route;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.Processor;
import io.dataflare.plugins.transforms.expr.CompiledExpression;
import io.dataflare.plugins.transforms.expr.Expressions;
import io.dataflare.plugins.transforms.expr.RecordContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the cases of {@code switch} on each record and adds it to the outputs that match. A record's
 * cases are all evaluated before it is added anywhere, so that a case that fails rejects the record whole
 * instead of leaving it in some outputs only.
 */
final class SwitchProcessor implements Processor {
    private final String[] outputs;
    private final CompiledExpression[] whens;
    private final String defaultOutput;
    private final boolean allMatches;
    private final boolean nullMatchesNothing;
    private final RecordContext ctx;

    SwitchProcessor(Expressions engine, List<SwitchFactory.Case> cases, String defaultOutput, boolean allMatches) {
        this.outputs = new String[cases.size()];
        this.whens = new CompiledExpression[cases.size()];
        for (int i = 0; i < cases.size(); i++) {
            outputs[i] = cases.get(i).output();
            whens[i] = engine.compile(cases.get(i).when());
        }
        this.defaultOutput = defaultOutput;
        this.allMatches = allMatches;
        this.nullMatchesNothing = !engine.strict();
        this.ctx = engine.newContext();
    }

    @Override
    public RecordBatch process(RecordBatch batch) {
        RecordBatch.Builder out = RecordBatch.builder(batch.size());
        List<String> matched = new ArrayList<>(outputs.length);
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            matched.clear();
            try {
                match(r, matched);
            } catch (InvalidRecordException e) {
                out.reject(r, e);
                continue;
            }
            if (matched.isEmpty() && defaultOutput != null) matched.add(defaultOutput);
            for (String o : matched) out.add(o, r); // none: dropped, which the engine counts as filtered
        }
        return out.build();
    }

    /** Adds the outputs of the cases {@code r} matches to {@code matched}, each once. */
    private void match(Record r, List<String> matched) {
        ctx.bind(r);
        for (int c = 0; c < whens.length; c++) {
            if (!test(c)) continue;
            if (!matched.contains(outputs[c])) matched.add(outputs[c]);
            if (!allMatches) return;
        }
    }

    private boolean test(int c) {
        Object v = whens[c].evaluate(ctx);
        if (v instanceof Boolean b) return b;
        if (v == null && nullMatchesNothing) return false;
        throw new InvalidRecordException(
                "switch case '" + outputs[c] + "' ('" + whens[c] + "') gave " + describe(v) + ", not true or false");
    }

    private static String describe(Object v) {
        if (v == null) return "null";
        try {
            return "'" + v + "' (" + FieldType.of(FieldType.normalize(v)).label() + ")";
        } catch (IllegalArgumentException e) {
            return "a " + v.getClass().getSimpleName();
        }
    }
}
