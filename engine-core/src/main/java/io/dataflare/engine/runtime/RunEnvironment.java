package io.dataflare.engine.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the engine's runs share (see {@link RunFactory}).
 *
 * @param clock     the clock handed to plugins and used for timestamps
 * @param meters    where run and plugin metrics are registered
 * @param scheduler a daemon scheduler for progress ticks
 * @param disk      the engine's disk budget over every spool of every run, or null
 */
record RunEnvironment(Clock clock, MeterRegistry meters, ScheduledExecutorService scheduler, DiskBudget disk) {
    RunEnvironment(Clock clock, MeterRegistry meters, ScheduledExecutorService scheduler) {
        this(clock, meters, scheduler, null);
    }
}
