# Keeps orders of at least `min_amount`, computes `total` and lower-cases `email`: the quickstart's
# filter + map as one Python processor. See polyglot-host/README.md for the script contract.
manifest = {
    "id": "enrich-orders-py",
    "version": "1.0.0",
    "kind": "processor",
    "description": "Keeps big orders, adds total, lower-cases email",
    "config": {"min_amount": {"type": "double", "default": 20}},
}


def map(order, ctx):
    if order["amount"] < ctx.config["min_amount"]:
        return None  # dropped (counted as filtered)
    return {**order, "email": order["email"].lower(), "total": order["amount"] * order["quantity"]}
