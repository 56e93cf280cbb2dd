# A DataFlare source in Python: the first `count` Fibonacci numbers, {"n": n, "value": F(n)} per record.
# position() returns the whole state needed to go on (a JSON value: the engine stores it with each checkpoint),
# seek() puts it back when a pipeline resumes.
manifest = {
    "id": "fibonacci",
    "version": "1.0.0",
    "kind": "source",
    "description": "The Fibonacci numbers",
    "requires": "^1.0",
    "config": {"count": {"type": "long", "default": 50, "description": "how many numbers"}},
}

state = {"n": 0, "a": 0, "b": 1}
count = 0


def open(ctx):
    global count
    count = ctx.config["count"]


def poll(max):
    if state["n"] >= count:
        return None
    out = []
    while len(out) < max and state["n"] < count:
        out.append({"n": state["n"], "value": state["a"]})
        state["n"], state["a"], state["b"] = state["n"] + 1, state["b"], state["a"] + state["b"]
    return out


def position():
    return dict(state)


def seek(position):
    state.update(position)
