#!/usr/bin/env python3
"""Checks JSON exchanged with a counterpart against its documented schema, independently of the
Swift wire types: jsonschema (draft 2020-12) over the files in Schemas/ — a JSON Schema with
$defs, or an OpenAPI 3.1 document with components/schemas (3.1's schemas are draft 2020-12).

Usage: check_wire.py SCHEMA_FILE < items.json
items.json is a list of {"definition": "<a name under $defs or components/schemas>", "body": <the JSON as sent>, "what": "<label>"}.
Prints every violation and exits 1 when there is any (or when an item names no known definition).
"""
import json
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def main():
    schema = json.load(open(sys.argv[1]))
    if "openapi" in schema:
        # The document itself is not a schema: each of its component schemas is.
        definitions, pointer = schema["components"]["schemas"], "components/schemas"
        for definition in definitions.values():
            Draft202012Validator.check_schema(definition)
        uri = schema.get("$id", "urn:switchyard:openapi")
        registry = Registry().with_resource(uri, Resource.from_contents(schema, default_specification=DRAFT202012))
    else:
        Draft202012Validator.check_schema(schema)
        definitions, pointer, uri = schema["$defs"], "$defs", schema["$id"]
        registry = Registry().with_resource(uri, Resource.from_contents(schema))
    failures = 0
    items = json.load(sys.stdin)
    for item in items:
        name = item["definition"]
        if name not in definitions:
            print(f"{item['what']}: no definition {name} in {sys.argv[1]}")
            failures += 1
            continue
        validator = Draft202012Validator({"$ref": f"{uri}#/{pointer}/{name}"}, registry=registry)
        for error in validator.iter_errors(item["body"]):
            failures += 1
            location = "/".join(str(part) for part in error.absolute_path) or "(body)"
            print(f"{item['what']} as {name}: {location}: {error.message}")
    print(f"{len(items)} checked, {failures} problem(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
