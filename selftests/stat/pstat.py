#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checkers for petrel-stat's output formats (standard library only).

  pstat.py json SCHEMA FILE   validate every line of FILE (one JSON document
                              a line) against SCHEMA; print each VM
                              flattened, one "vm.path.to.key value" a line
  pstat.py prom FILE          parse the Prometheus text format strictly;
                              print "name{label=value,...} value" lines
  pstat.py show FILE          flatten `petrel-stat show` to "section.key value"

Exit status 1 with one line naming the problem when the input is bad.
"""
import json
import re
import sys


def die(msg):
    print("pstat.py: " + msg)
    sys.exit(1)


# ---- a JSON Schema subset: type, properties, required,
# additionalProperties, patternProperties, items, minimum, maximum,
# minItems, maxItems, maxLength, enum, pattern, anyOf, allOf, $ref to
# #/$defs/NAME. Not the python3-jsonschema module: importing it costs
# seconds under the test VM's emulated CPU, for every check. ----
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


class Invalid(Exception):
    """A value the schema refuses; str() names where, and what, briefly."""

    def __init__(self, msg):
        path = msg.split(":", 1)[0]
        super().__init__(msg if len(msg) < 300 else msg[:300] + "...")
        self.depth = path.count(".") + path.count("[")


def validate(v, s, root, path):
    if "anyOf" in s:
        errors = []
        for alt in s["anyOf"]:
            try:
                validate(v, alt, root, path)
                break
            except Invalid as e:
                errors.append(e)
        else:
            # The alternative that got furthest says what is wrong.
            raise max(errors, key=lambda e: e.depth)
    for alt in s.get("allOf", []):
        validate(v, alt, root, path)
    if "$ref" in s:
        ref = s["$ref"]
        if not ref.startswith("#/$defs/"):
            raise Invalid("unsupported $ref " + ref)
        return validate(v, root["$defs"][ref[len("#/$defs/"):]], root, path)
    known = {"type", "properties", "required", "additionalProperties",
             "patternProperties", "items", "minimum", "maximum", "minItems",
             "maxItems", "maxLength", "enum", "pattern", "description",
             "title", "$schema", "$id", "$defs", "anyOf", "allOf"}
    for k in s:
        if k not in known:
            raise Invalid("schema keyword %s not supported (at %s)" % (k, path))
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in ts):
            raise Invalid("%s: %r is not of type %s" % (path, v, s["type"]))
    if "enum" in s and v not in s["enum"]:
        raise Invalid("%s: %r not one of %r" % (path, v, s["enum"]))
    if "minimum" in s and is_type(v, "number") and v < s["minimum"]:
        raise Invalid("%s: %r below minimum %r" % (path, v, s["minimum"]))
    if "maximum" in s and is_type(v, "number") and v > s["maximum"]:
        raise Invalid("%s: %r above maximum %r" % (path, v, s["maximum"]))
    if "maxLength" in s and isinstance(v, str) and len(v) > s["maxLength"]:
        raise Invalid("%s: %r longer than %d" % (path, v, s["maxLength"]))
    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
        raise Invalid("%s: %r does not match %s" % (path, v, s["pattern"]))
    if isinstance(v, dict):
        props = s.get("properties", {})
        for k in s.get("required", []):
            if k not in v:
                raise Invalid("%s: required key %s missing" % (path, k))
        for k, x in v.items():
            sub = None
            if k in props:
                sub = props[k]
            else:
                for pat, ps in s.get("patternProperties", {}).items():
                    if re.search(pat, k):
                        sub = ps
                        break
            if sub is None:
                extra = s.get("additionalProperties", True)
                if extra is False:
                    raise Invalid("%s: unexpected key %s" % (path, k))
                if isinstance(extra, dict):
                    sub = extra
            if sub is not None:
                validate(x, sub, root, path + "." + k)
    if isinstance(v, list):
        if "minItems" in s and len(v) < s["minItems"]:
            raise Invalid("%s: fewer than %d items" % (path, s["minItems"]))
        if "maxItems" in s and len(v) > s["maxItems"]:
            raise Invalid("%s: more than %d items" % (path, s["maxItems"]))
        for i, x in enumerate(v):
            if "items" in s:
                validate(x, s["items"], root, "%s[%d]" % (path, i))


def flatten(v, prefix, out):
    if isinstance(v, dict):
        for k, x in v.items():
            flatten(x, prefix + "." + k if prefix else k, out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            key = str(x.get("device", i)) if isinstance(x, dict) else str(i)
            flatten(x, prefix + "." + key, out)
    else:
        out.append("%s %s" % (prefix, json.dumps(v)))


def label_of(obj, n):
    if "vms" in obj and "total" in obj:
        return "watch%d" % n
    return obj["name"] if obj.get("name") else "#%d" % obj["id"]


def cmd_json(schema_path, path):
    """A file holds one document (list --json: an array) or one object a
    line (events, watch); each VM is flattened under its label."""
    with open(schema_path) as f:
        schema = json.load(f)
    with open(path) as f:
        text = f.read()
    out = []
    lines = text.split("\n")
    if lines[-1] != "":
        die("no newline at the end")
    docs = []
    for n, line in enumerate(lines[:-1], 1):
        try:
            docs.append(json.loads(line))
        except ValueError as e:
            die("line %d: not JSON: %s" % (n, e))
    for n, doc in enumerate(docs, 1):
        try:
            validate(doc, schema, schema, "line%d" % n)
        except Invalid as e:
            die(str(e))
        for i, obj in enumerate(doc if isinstance(doc, list) else [doc]):
            flatten(obj, label_of(obj, n), out)
    print("\n".join(out))


# ---- Prometheus text format 0.0.4 ----
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
SAMPLE = re.compile(r"^(%s)(\{(.*)\})? (\S+)( -?\d+)?$" % NAME)
FLOAT = re.compile(r"^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]Inf|NaN)$")


def parse_labels(text, n):
    labels = []
    pos = 0
    while pos < len(text):
        m = re.compile(LABEL).match(text, pos)
        if not m:
            die("line %d: bad labels {%s}" % (n, text))
        labels.append((m.group(1), m.group(2)))
        pos = m.end()
        if pos < len(text):
            if text[pos] != ",":
                die("line %d: bad labels {%s}" % (n, text))
            pos += 1
    names = [k for k, _ in labels]
    if len(set(names)) != len(names):
        die("line %d: repeated label" % n)
    return labels


def cmd_prom(path):
    helps, types, seen, out = set(), {}, set(), []
    sampled = set()
    with open(path) as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        die("no newline at the end")
    for n, line in enumerate(lines[:-1], 1):
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            if not re.fullmatch(NAME, name) or name in helps:
                die("line %d: bad or repeated HELP for %s" % (n, name))
            helps.add(name)
        elif line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or not re.fullmatch(NAME, parts[2]):
                die("line %d: bad TYPE line" % n)
            if parts[3] not in ("counter", "gauge", "untyped",
                                "histogram", "summary"):
                die("line %d: unknown type %s" % (n, parts[3]))
            if parts[2] in types or parts[2] in sampled:
                die("line %d: TYPE for %s repeated or after its samples"
                    % (n, parts[2]))
            types[parts[2]] = parts[3]
        elif line.startswith("#"):
            continue
        elif line == "":
            die("line %d: empty line" % n)
        else:
            m = SAMPLE.match(line)
            if not m:
                die("line %d: not a sample: %s" % (n, line))
            name, labels, value = m.group(1), m.group(3) or "", m.group(4)
            if not FLOAT.match(value):
                die("line %d: bad value %s" % (n, value))
            if name not in types:
                die("line %d: %s has no TYPE" % (n, name))
            if types[name] == "counter" and not name.endswith("_total"):
                die("line %d: counter %s without _total" % (n, name))
            lab = parse_labels(labels, n)
            key = name + "{" + ",".join("%s=%s" % kv for kv in sorted(lab)) + "}"
            if key in seen:
                die("line %d: repeated series %s" % (n, key))
            seen.add(key)
            sampled.add(name)
            out.append("%s %s" % (key, value))
    for name in types:
        if name not in helps:
            die("%s has TYPE but no HELP" % name)
    print("\n".join(out))


def cmd_show(path):
    out, section = [], None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.startswith("  "):
                section = line.replace(" ", "_")
                continue
            if section is None:
                die("line %d: value before any section" % n)
            parts = line.split()
            out.append("%s.%s %s" % (section, parts[0], " ".join(parts[1:])))
    print("\n".join(out))


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "json":
        cmd_json(a[1], a[2])
    elif len(a) == 2 and a[0] == "prom":
        cmd_prom(a[1])
    elif len(a) == 2 and a[0] == "show":
        cmd_show(a[1])
    else:
        die("usage: pstat.py json SCHEMA FILE | prom FILE | show FILE")


main()
