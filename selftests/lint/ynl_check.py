#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check the netlink spec abi/petrel.yaml.

usage: ynl_check.py SPEC SCHEMA HEADER WORKDIR

1. SPEC must pass SCHEMA, the kernel's own YNL schema for its protocol
   (Documentation/netlink/genetlink-legacy.yaml of Linux 6.12, taken from
   Debian's linux-source-6.12 by the caller).
2. HEADER must agree with SPEC: from the spec this writes a C program that
   compares every constant, flag, command and attribute value, and the family
   and group names, with the header's; it is compiled (a name missing from
   the header fails there) and run. An attribute set or the operations with
   an enum-name must be that C enum exactly: no member the spec lacks.

Prints each problem on its own line; exits 1 if there is any.
"""
import os
import re
import subprocess
import sys

import jsonschema
import yaml


def c_upper(name):
    return name.upper().replace('-', '_')


def c_enum_members(header_text):
    """{enum name: [member, ...]} for every named enum of the header."""
    text = re.sub(r'/\*.*?\*/', '', header_text, flags=re.S)
    enums = {}
    for m in re.finditer(r'enum\s+(\w+)\s*\{(.*?)\}\s*;', text, flags=re.S):
        members = []
        for item in m.group(2).split(','):
            ident = re.match(r'\s*([A-Za-z_]\w*)', item)
            if ident:
                members.append(ident.group(1))
        enums[m.group(1)] = members
    return enums


def check(spec, schema, header_text):
    """(problems found without compiling, [(C expression, spec value)])."""
    problems = []
    validator = jsonschema.Draft7Validator(schema)
    for err in sorted(validator.iter_errors(spec), key=str):
        where = '/'.join(str(p) for p in err.absolute_path) or '(top)'
        problems.append(f'schema: {where}: {err.message}')
    if problems:
        return problems, []

    family = spec['name']
    eq = []      # (C expression, value): integers
    streq = []   # (C expression, value): strings
    enums = c_enum_members(header_text)

    def whole_enum(enum_name, want, what):
        """The C enum has exactly the spec's members, besides its
        UNSPEC (0) and __*_MAX (count) members."""
        c_name = c_upper(enum_name).lower()
        if c_name not in enums:
            problems.append(f'header: no enum {c_name} ({what})')
            return
        have = {m for m in enums[c_name]
                if not m.endswith('_UNSPEC') and not m.startswith('__')}
        for extra in sorted(have - set(want)):
            problems.append(f'header: enum {c_name} has {extra}, '
                            f'which {what} in the spec lacks')

    streq.append((c_upper(spec['c-family-name']), family))
    eq.append((c_upper(spec['c-version-name']), spec.get('version', 1)))

    for d in spec.get('definitions', []):
        if d['type'] == 'const':
            eq.append((c_upper(f"{family}-{d['name']}"), d['value']))
        elif d['type'] in ('enum', 'flags'):
            prefix = d.get('name-prefix', f"{family}-{d['name']}-")
            val = d.get('value-start', 0)
            for e in d['entries']:
                name = e if isinstance(e, str) else e['name']
                if not isinstance(e, str) and 'value' in e:
                    val = e['value']
                c_val = 1 << val if d['type'] == 'flags' else val
                eq.append((c_upper(prefix + name), c_val))
                val += 1

    for aset in spec['attribute-sets']:
        if 'subset-of' in aset:
            continue
        prefix = aset.get('name-prefix', f"{family}-{aset['name']}-a-")
        val = 1
        members = []
        for attr in aset['attributes']:
            val = attr.get('value', val)
            c_name = c_upper(prefix + attr['name'])
            # Sets without an enum name keep their numbered attributes as
            # numbers in C: only the pad attribute has a name there.
            if 'enum-name' in aset or attr['type'] == 'pad':
                eq.append((c_name, val))
                members.append(c_name)
            val += 1
        if 'enum-name' in aset:
            last = val - 1
            eq.append((c_upper(aset.get('attr-max-name', prefix + 'max')),
                       last))
            eq.append((c_upper(aset.get('attr-cnt-name',
                                        '__' + prefix + 'max')), last + 1))
            whole_enum(aset['enum-name'], members,
                       f"attribute set {aset['name']}")

    ops = spec['operations']
    prefix = ops.get('name-prefix', f'{family}-')
    val = 1
    members = []
    for op in ops['list']:
        val = op.get('value', val)
        eq.append((c_upper(prefix + op['name']), val))
        members.append(c_upper(prefix + op['name']))
        val += 1
    eq.append((c_upper(prefix + 'max'), val - 1))
    if 'enum-name' in ops:
        whole_enum(ops['enum-name'], members, 'operations')

    for grp in spec.get('mcast-groups', {}).get('list', []):
        if 'c-define-name' in grp:
            streq.append((c_upper(grp['c-define-name']), grp['name']))
        else:
            problems.append(f"spec: group {grp['name']} has no c-define-name"
                            ' to check the header against')
    return problems, (eq, streq)


def c_program(header, eq, streq):
    lines = [
        '#include <stdio.h>',
        '#include <string.h>',
        f'#include "{os.path.abspath(header)}"',
        'static int bad;',
        'static void eq(const char *n, long long have, long long want)',
        '{',
        '\tif (have == want)',
        '\t\treturn;',
        '\tprintf("header: %s is %lld, the spec says %lld\\n", n, have, want);',
        '\tbad = 1;',
        '}',
        'static void streq(const char *n, const char *have, const char *want)',
        '{',
        '\tif (!strcmp(have, want))',
        '\t\treturn;',
        '\tprintf("header: %s is \\"%s\\", the spec says \\"%s\\"\\n", n, have, want);',
        '\tbad = 1;',
        '}',
        'int main(void)',
        '{',
    ]
    for name, val in eq:
        lines.append(f'\teq("{name}", (long long)({name}), {int(val)}LL);')
    for name, val in streq:
        lines.append(f'\tstreq("{name}", {name}, "{val}");')
    lines += ['\treturn bad;', '}']
    return '\n'.join(lines) + '\n'


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    spec_path, schema_path, header, work = sys.argv[1:]
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    with open(schema_path) as f:
        schema = yaml.safe_load(f)
    with open(header) as f:
        header_text = f.read()

    problems, checks = check(spec, schema, header_text)
    if checks:
        eq, streq = checks
        src = os.path.join(work, 'spec_vs_header.c')
        exe = os.path.join(work, 'spec_vs_header')
        with open(src, 'w') as f:
            f.write(c_program(header, eq, streq))
        cc = os.environ.get('CC', 'cc')
        r = subprocess.run([cc, '-std=c11', '-Wall', '-Werror', '-o', exe,
                            src], capture_output=True, text=True)
        if r.returncode:
            problems.append('header: the spec names something it does not '
                            'define (or defines differently):')
            problems += r.stderr.splitlines()[:40]
        else:
            r = subprocess.run([exe], capture_output=True, text=True)
            problems += r.stdout.splitlines()
            if r.returncode and not r.stdout:
                problems.append(f'the check program failed ({r.returncode})')
        print(f'{spec_path}: {len(eq) + len(streq)} values compared '
              f'with {header}')
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
