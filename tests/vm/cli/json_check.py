#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate a JSON document against the subset of JSON Schema used by
tools/ipvsadm/ipvsadm.schema.json: type, required, properties,
additionalProperties (false), items, enum and local $ref.

usage: json_check.py SCHEMA DOCUMENT"""
import json
import sys

TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool,
    "null": type(None),
}


def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def check(root, s, v, path, errs):
    if "$ref" in s:
        node = root
        for part in s["$ref"].lstrip("#/").split("/"):
            node = node[part]
        s = node
    types = s.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        if not any(is_type(v, t) for t in types):
            errs.append("%s: %r is not %s" % (path, v, types))
            return
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r not in %s" % (path, v, s["enum"]))
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: missing %s" % (path, k))
        props = s.get("properties", {})
        for k, sub in v.items():
            if k in props:
                check(root, props[k], sub, path + "." + k, errs)
            elif s.get("additionalProperties") is False:
                errs.append("%s: unexpected member %s" % (path, k))
    if isinstance(v, list) and "items" in s:
        for i, sub in enumerate(v):
            check(root, s["items"], sub, "%s[%d]" % (path, i), errs)


def main():
    schema = json.load(open(sys.argv[1]))
    doc = json.load(open(sys.argv[2]))
    errs = []
    check(schema, schema, doc, "$", errs)
    for e in errs:
        print(e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
