# A DataFlare error policy in Python: records that failed for good go to the dead-letter sink when their error
# class is one of `dead_letter` (by default invalid records and plugin errors: data to look at), the pipeline
# stops on `abort` classes, and anything else is skipped. route(failure) returns "skip", "dead-letter" or
# "abort"; failure is a dict: error_class, message, attempts, stage, plugin.
manifest = {
    "id": "route-errors",
    "version": "1.0.0",
    "kind": "error-policy",
    "description": "Routes failed records by error class",
    "requires": "^1.0",
    "config": {
        "dead_letter": {"type": "string_list", "default": ["invalid_record", "plugin_error"],
                        "description": "error classes sent to the dead-letter sink"},
        "abort": {"type": "string_list", "default": [], "description": "error classes that stop the pipeline"},
    },
}


def route(failure, ctx):
    if failure["error_class"] in ctx.config["abort"]:
        return "abort"
    if failure["error_class"] in ctx.config["dead_letter"]:
        return "dead-letter"
    return "skip"
