package io.dataflare.engine.replay;

import io.dataflare.api.data.Record;

/**
 * One entry of a dead-letter file, read back for replay.
 *
 * @param line   its line in the file
 * @param stage  the stage that failed it
 * @param record the original record
 * @param error  why it failed
 */
public record DeadLetter(int line, String stage, Record record, String error) {}
