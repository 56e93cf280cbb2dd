# A DataFlare processor in Python: counts records per key across batches (ctx.state, which the manifest's
# `state` capability grants) and keeps every `every`-th record of each key. process(batch, ctx) gets the
# whole batch as a list of dicts and returns the records to pass on.
manifest = {
    "id": "running-count",
    "version": "1.0.0",
    "kind": "processor",
    "description": "Counts records per key; keeps every n-th",
    "capabilities": ["state"],
    "config": {
        "key": {"type": "string", "default": "key", "description": "the field to count by"},
        "every": {"type": "long", "default": 1, "description": "keep the n-th, 2n-th... record of each key"},
    },
}


def process(batch, ctx):
    field, every = ctx.config["key"], ctx.config["every"]
    counts = {}
    out = []
    for record in batch:
        key = str(record.get(field))
        if key not in counts:
            counts[key] = ctx.state.get(key, 0)
        counts[key] += 1
        if counts[key] % every == 0:
            out.append({**record, "seen": counts[key]})
    for key, n in counts.items():
        ctx.state.set(key, n)
    ctx.log.debug("batch of %d: %d kept" % (len(batch), len(out)))
    return out
