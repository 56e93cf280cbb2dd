# transform_data step of the data-processing template: names to upper case, e-mail addresses to lower case.
manifest = {
    "id": "workflow-example-normalise-contacts",
    "version": "1.0.0",
    "kind": "processor",
    "description": "Upper-case names, lower-case e-mail addresses",
}


def process(batch, ctx):
    out = []
    for step in batch:
        data = [dict(r, name=str(r["name"]).upper(), email=str(r["email"]).lower()) for r in step["data"]]
        out.append({"data": data, "record_count": len(data)})
    return out
