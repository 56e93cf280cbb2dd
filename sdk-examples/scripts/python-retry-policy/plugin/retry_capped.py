# A DataFlare retry policy in Python: retries every failure except those of the `never` error classes (by
# default invalid records: retrying cannot fix bad data), up to `max_attempts` attempts with a fixed
# `delay_ms` between them. decide(failure) returns the milliseconds to wait before the next attempt, or None
# to give up (the records then go to the error policy). failure is a dict: error_class, message, attempts,
# stage, plugin.
manifest = {
    "id": "retry-capped",
    "version": "1.0.0",
    "kind": "retry-policy",
    "description": "Retries all but the given error classes, a fixed number of times",
    "requires": "^1.0",
    "config": {
        "never": {"type": "string_list", "default": ["invalid_record"], "description": "error classes never retried"},
        "max_attempts": {"type": "long", "default": 3, "description": "attempts in all, the first included"},
        "delay_ms": {"type": "long", "default": 10, "description": "wait between attempts"},
    },
}


def decide(failure, ctx):
    if failure["error_class"] in ctx.config["never"] or failure["attempts"] >= ctx.config["max_attempts"]:
        return None
    return ctx.config["delay_ms"]
