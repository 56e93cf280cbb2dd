package io.dataflare.engine.runtime;

import io.dataflare.api.ComponentKind;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.ComponentUse;
import io.dataflare.engine.pipeline.PipelineDefinition;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.RoutingDefinition;
import io.dataflare.engine.pipeline.RoutingPlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import java.util.ArrayList;
import java.util.List;

/**
 * A place in a running pipeline that a plugin component fills and that switches versions at a barrier: a
 * source or sink stage, the dead-letter sink, the retry or error policy, or the key router of a routed stage.
 * (Processor stages switch without a barrier, at each worker's batch boundary.)
 *
 * @param kind  what fills it
 * @param stage the stage (for a key router: the stage it routes into), or {@link #RETRY} / {@link #ERRORS}
 */
record ComponentSlot(ComponentKind kind, String stage) {
    /** The stage name events give the retry policy. */
    static final String RETRY = "policies.retry";
    /** The stage name events give the error policy. */
    static final String ERRORS = "policies.errors.on_error";

    /** Every slot of {@code plan} that switches at a barrier, in stage order, then the policies. */
    static List<ComponentSlot> of(PipelinePlan plan) {
        List<ComponentSlot> out = new ArrayList<>();
        for (StagePlan s : plan.stages()) {
            if (s.role() != StageRole.PROCESSOR)
                out.add(new ComponentSlot(s.role().kind(), s.name()));
        }
        if (plan.deadLetter() != null) out.add(new ComponentSlot(ComponentKind.SINK, StageAssembler.DEAD_LETTER_STAGE));
        if (plan.retry() != null) out.add(new ComponentSlot(ComponentKind.RETRY_POLICY, RETRY));
        if (plan.errorPolicy() != null) out.add(new ComponentSlot(ComponentKind.ERROR_POLICY, ERRORS));
        for (StagePlan s : plan.stages()) {
            if (s.routing() != null) out.add(new ComponentSlot(ComponentKind.KEY_ROUTER, s.name()));
        }
        return out;
    }

    /** The key its lease is kept under (a key router shares its stage's name with the stage). */
    String key() {
        return key(kind, stage);
    }

    /** The lease key of what fills {@code stage} as a {@code kind}. */
    static String key(ComponentKind kind, String stage) {
        return kind.name() + ":" + stage;
    }

    /** For people: {@code source 'in'}, {@code retry policy}, {@code key router of 'p'}. */
    String describe() {
        return switch (kind) {
            case RETRY_POLICY, ERROR_POLICY -> kind.label();
            case KEY_ROUTER -> "key router of '" + stage + "'";
            default -> kind.label() + " '" + stage + "'";
        };
    }

    /** Whether it is the dead-letter sink. */
    boolean deadLetter() {
        return kind == ComponentKind.SINK && stage.equals(StageAssembler.DEAD_LETTER_STAGE);
    }

    /** What fills it in {@code plan}. */
    ComponentPlan in(PipelinePlan plan) {
        return switch (kind) {
            case RETRY_POLICY -> plan.retry();
            case ERROR_POLICY -> plan.errorPolicy();
            case KEY_ROUTER -> plan.stage(stage).routing().router();
            default -> deadLetter() ? plan.deadLetter() : plan.stage(stage).component();
        };
    }

    /** The {@code use:} it was written with. */
    ComponentUse use(PipelinePlan plan) {
        PipelineDefinition def = plan.definition();
        return switch (kind) {
            case RETRY_POLICY -> def.policies().retry();
            case ERROR_POLICY -> def.policies().errors().onError();
            case KEY_ROUTER -> {
                RoutingDefinition own = plan.stage(stage).definition().routing();
                yield (own != null ? own : def.policies().routing()).strategy();
            }
            default ->
                deadLetter()
                        ? def.policies().errors().deadLetter()
                        : plan.stage(stage).definition().component();
        };
    }

    /** {@code plan} with {@code next} in this slot. */
    PipelinePlan with(PipelinePlan plan, ComponentPlan next) {
        ComponentPlan retry = kind == ComponentKind.RETRY_POLICY ? next : plan.retry();
        ComponentPlan errors = kind == ComponentKind.ERROR_POLICY ? next : plan.errorPolicy();
        ComponentPlan deadLetter = deadLetter() ? next : plan.deadLetter();
        List<StagePlan> stages = new ArrayList<>();
        for (StagePlan s : plan.stages()) {
            if (!s.name().equals(stage) || deadLetter()) stages.add(s);
            else if (kind == ComponentKind.KEY_ROUTER)
                stages.add(new StagePlan(
                        s.definition(),
                        s.component(),
                        s.instances(),
                        new RoutingPlan(s.routing().keyField(), next),
                        s.downstream()));
            else if (kind == ComponentKind.SOURCE || kind == ComponentKind.SINK)
                stages.add(new StagePlan(s.definition(), next, s.instances(), s.routing(), s.downstream()));
            else stages.add(s);
        }
        return new PipelinePlan(plan.definition(), stages, retry, errors, deadLetter);
    }
}
