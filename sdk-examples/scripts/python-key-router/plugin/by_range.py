# A DataFlare key router in Python: splits numeric keys into `instances` contiguous ranges of width
# `range_width` (0..width-1 to instance 0, and so on, wrapping around), e.g. to keep neighbouring ids on one
# worker. route(key, instances) returns an instance from 0 to instances - 1; a key that is not a number goes
# to instance 0.
manifest = {
    "id": "by-range",
    "version": "1.0.0",
    "kind": "key-router",
    "description": "Routes numeric keys by range",
    "requires": "^1.0",
    "config": {"range_width": {"type": "long", "default": 100, "description": "keys per range"}},
}


def route(key, instances, ctx):
    if not isinstance(key, (int, float)) or isinstance(key, bool):
        return 0
    return int(key // ctx.config["range_width"]) % instances
