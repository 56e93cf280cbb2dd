# A DataFlare sink in Python that takes part in exactly-once delivery: it appends records as JSON lines to a
# file through ctx.files (a script has no file access of its own: the stage must be granted it, e.g.
# `grants: [file:write:out/*]`), checkpoint() returns the file's length and restore() cuts the file back to it
# when a pipeline resumes, so the records written after the last checkpoint are not written twice. A run that
# does not resume (restore() is not called) starts the file anew at its first write, as the built-in file sinks
# do: a run killed before its first checkpoint leaves records no checkpoint covers, which the next run rewrites.
manifest = {
    "id": "jsonl-sink",
    "version": "1.0.0",
    "kind": "sink",
    "description": "Writes records as JSON lines, exactly once",
    "requires": "^1.0",
    "capabilities": ["file:write:out/*"],
    "config": {"path": {"type": "string", "default": "out/records.jsonl",
                        "description": "the file, relative to the pipeline's folder"}},
}

import json

path = None
fresh = True


def open(ctx):
    global path, fresh
    path = ctx.config["path"]
    fresh = True


def write(batch, ctx):
    global fresh
    if fresh:
        ctx.files.truncate(path, 0)
        fresh = False
    ctx.files.append(path, "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in batch))


def checkpoint(ctx):
    # the host has made what was appended durable (after flush) before it asks
    return {"length": ctx.files.size(path)}


def restore(state, ctx):
    global fresh
    fresh = False
    ctx.files.truncate(path, state["length"])
