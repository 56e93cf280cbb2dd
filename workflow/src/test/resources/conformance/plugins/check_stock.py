# A Python processor used as a workflow Task: raises OutOfStock (its type name is the error a Catch matches)
# when fewer items are in stock than ordered.
manifest = {
    "id": "check-stock",
    "version": "1.0.0",
    "kind": "processor",
    "description": "Checks an order against the stock",
}


class OutOfStock(Exception):
    pass


def process(batch, ctx):
    out = []
    for r in batch:
        if r["ordered"] > r["stock"]:
            raise OutOfStock("only %d of %d in stock" % (r["stock"], r["ordered"]))
        out.append({**r, "left": r["stock"] - r["ordered"]})
    return out
