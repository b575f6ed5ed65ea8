#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Check that a tool's documentation names exactly the options it takes.

usage: option_drift.py --tool NAME --code FILE:ARRAY --help-cmd CMD
                       --man PAGE [--readme README --section TITLE...]

The options the tool takes are the first string of each entry of the
array ARRAY in the C source FILE: the tender's opt_table ("--mem",
"--net:"), or a getopt_long struct option table ("json", without the
dashes; the entry of NULLs ending it is skipped). They are compared,
as long options ("--name", or "--name:" for the per-device ones), with:

1. the output of CMD (run with no shell, split at spaces), the tool's
   --help: every option it names, no more and no fewer;
2. PAGE, a man page: its SYNOPSIS, and the tags of its OPTIONS section
   (the line after each .TP), each exactly the options; every option the
   OPTIONS section mentions must be one;
3. README, in each section titled TITLE (a Markdown heading), every
   option it names must be one (the README shows examples, the man page
   and --help are the reference).

The option table is then the one place an option is added or removed:
this fails until --help, the man page and the README follow. Prints each
difference on its own line; exits 1 if there is any.
"""
import argparse
import re
import subprocess
import sys

# A long option as the documentation writes it: "--net-ring=auto" and
# "--net:NAME=IFACE" name "--net-ring" and "--net:". The look-behind keeps
# "a--b" and "---" out; "--" alone (end of options) has no letter.
OPT_RE = re.compile(r'(?<![\w-])--[a-z][a-z0-9-]*:?')


def code_options(spec):
    path, _, array = spec.rpartition(':')
    if not path or not array:
        sys.exit(f'--code {spec}: FILE:ARRAY expected')
    src = open(path, encoding='utf-8').read()
    # Comments could hold braces and strings.
    src = re.sub(r'/\*.*?\*/|//[^\n]*', ' ', src, flags=re.S)
    m = re.search(r'\b' + re.escape(array) + r'\s*\[[^]]*\]\s*=\s*\{', src)
    if not m:
        sys.exit(f'{path}: no array {array}')
    depth, i, entries, start = 1, m.end(), [], None
    while depth:
        if i >= len(src):
            sys.exit(f'{path}: {array} does not end')
        c = src[i]
        if c == '"':
            j = i + 1
            while src[j] != '"':
                j += 2 if src[j] == '\\' else 1
            i = j
        elif c == '{':
            depth += 1
            if depth == 2:
                start = i + 1
        elif c == '}':
            depth -= 1
            if depth == 1:
                entries.append(src[start:i])
        i += 1
    opts = []
    for e in entries:
        s = re.match(r'\s*"((?:[^"\\]|\\.)*)"', e)
        if not s:
            continue        # the { 0 } or { NULL, ... } ending the table
        name = s.group(1)
        opts.append(name if name.startswith('-') else '--' + name)
    if not opts:
        sys.exit(f'{path}: {array} has no option')
    return opts


def found(text):
    return set(OPT_RE.findall(text))


def groff_text(src):
    """The words of a man page, as troff prints them."""
    src = re.sub(r'\\c\n\.[A-Z]+ ?', '', src)     # "\c" joins the next line
    src = re.sub(r'\\f(\[[^]]*\]|\(..|.)', '', src)
    src = src.replace('\\-', '-').replace('\\(dq', '"').replace('\\&', '')
    return src


def man_sections(src):
    sections, name = {}, None
    for line in src.split('\n'):
        if line.startswith('.SH'):
            name = line[3:].strip().strip('"')
            sections[name] = []
        elif name:
            sections[name].append(line)
    return sections


def readme_sections(text, titles):
    out, keep = {}, None
    for line in text.split('\n'):
        h = re.match(r'#+\s+(.*)', line)
        if h:
            keep = h.group(1).strip() if h.group(1).strip() in titles else None
            if keep:
                out[keep] = []
        elif keep:
            out[keep].append(line)
    return out


def compare(problems, where, have, want, exact=True):
    for o in sorted(want - have) if exact else []:
        problems.append(f'{where}: {o} is missing')
    for o in sorted(have - want):
        problems.append(f'{where}: names {o}, which the tool does not take')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tool', required=True)
    ap.add_argument('--code', required=True)
    ap.add_argument('--help-cmd', required=True)
    ap.add_argument('--man', required=True)
    ap.add_argument('--readme')
    ap.add_argument('--section', action='append', default=[])
    a = ap.parse_args()
    problems = []

    opts = code_options(a.code)
    want = set(opts)
    if len(want) != len(opts):
        problems.append(f'{a.code}: an option is in the table twice')

    r = subprocess.run(a.help_cmd.split(), capture_output=True, text=True)
    if r.returncode != 0:
        problems.append(f'{a.help_cmd}: exit status {r.returncode}')
    compare(problems, f'{a.tool} --help', found(r.stdout + r.stderr), want)

    sections = man_sections(groff_text(open(a.man, encoding='utf-8').read()))
    for need in ('SYNOPSIS', 'OPTIONS'):
        if need not in sections:
            problems.append(f'{a.man}: no {need} section')
    if 'SYNOPSIS' in sections:
        compare(problems, f'{a.man} SYNOPSIS',
                found('\n'.join(sections['SYNOPSIS'])), want)
    if 'OPTIONS' in sections:
        lines = sections['OPTIONS']
        tags = [lines[i + 1] for i, l in enumerate(lines[:-1])
                if l.strip() == '.TP']
        compare(problems, f'{a.man} OPTIONS (.TP tags)',
                found('\n'.join(tags)), want)
        compare(problems, f'{a.man} OPTIONS', found('\n'.join(lines)),
                want, exact=False)

    if a.readme:
        secs = readme_sections(open(a.readme, encoding='utf-8').read(),
                               set(a.section))
        for t in a.section:
            if t not in secs:
                problems.append(f'{a.readme}: no section "{t}"')
                continue
            compare(problems, f'{a.readme} "{t}"',
                    found('\n'.join(secs[t])), want, exact=False)

    for p in problems:
        print(p)
    print(f'{a.tool}: {len(want)} options in {a.code}: '
          f'{"ok" if not problems else f"{len(problems)} differences"}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
