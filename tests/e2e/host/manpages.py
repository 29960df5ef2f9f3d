#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The man pages against the binary (tests/e2e/host/manpages.sh), so that neither can drift.

  manpages.py DAXTRACE DOCS [json]

Each check prints one line for tests/run.sh: "PASS host/manpages/..." or "FAIL ...: why",
naming the missing or extra words.

- options: every option (short and long) of `daxtrace CMD --help` is a tag (the line after a
  .TP) of the OPTIONS section of docs/daxtrace-CMD.8 (daxtrace.8 for the top level), and every
  tag there is in --help; every option --help lists is one getopt knows (no "unknown option").
- sort keys: the keys a bad `-s` lists (built from counter_names, plus lat) are the bold words
  of the -s paragraph of top.8 and cow.8.
- one language: a short option stands for the same long option in every command's --help.
- the table of docs/architecture.md, "Options: one language": each command's --help options
  are the rows naming that command (or "every command"), and no row names a command for an
  option it lacks.
- json (root only, it attaches): the keys of the report object and of its total in
  `top --json` and `cow --json` are the ones top.8 and cow.8 document.
"""
import json
import re
import subprocess
import sys

COMMANDS = ["", "top", "cow", "lat", "snoop", "share", "mapuse", "exporter", "record", "report",
            "diff", "model", "doctor"]
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def result(name, ok, why=""):
    print(f"PASS host/manpages/{name}" if ok else f"FAIL host/manpages/{name}: {why}")


def agree(checks, first, second, first_name, second_name):
    """Two sets of words that must be equal: one check per direction, naming the words."""
    result(checks[0], first <= second,
           f"{first_name} has {sorted(first - second)}, which {second_name} lacks")
    result(checks[1], second <= first,
           f"{second_name} has {sorted(second - first)}, which {first_name} lacks")


def run(daxtrace, *args):
    return subprocess.run([daxtrace, *args], capture_output=True, text=True, timeout=60,
                          check=False)


def unroff(line):
    """A troff line as text: font changes and macro names gone, \\- as -."""
    line = re.sub(r"\\f[BIRP]", "", line).replace("\\-", "-").replace("\\(en", "-")
    return re.sub(r"^\.(BR|BI|B|I|IR|RB)\s", "", line).replace('"', "")


def section(page, name):
    """The lines of a man page's section NAME, up to the next .SH."""
    lines, inside = [], False
    for line in page.splitlines():
        if line.startswith(".SH"):
            inside = line.split(None, 1)[1].strip('"') == name
        elif inside:
            lines.append(line)
    return lines


def man_options(page):
    """The options of the tags of OPTIONS: the line after each .TP."""
    lines = section(page, "OPTIONS")
    found = set()
    for i, line in enumerate(lines[:-1]):
        if line.startswith(".TP"):
            found.update(OPTION.findall(unroff(lines[i + 1])))
    return found


def help_options(text):
    """The options of --help: the part before the description of each line starting with -."""
    found = set()
    for line in text.splitlines():
        # an option's line is indented a little; its description's continuation (which may
        # name -vv) far more
        if re.match(r"^ {0,6}-", line):
            found.update(OPTION.findall(re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]))
    return found


def check_options(daxtrace, docs, command):
    name = command or "daxtrace"
    page = open(f"{docs}/{'daxtrace-' + command if command else 'daxtrace'}.8").read()
    out = run(daxtrace, *([command] if command else []), "--help")
    if out.returncode:
        result(f"{name}/help", False, f"--help exit status {out.returncode}")
        return
    in_help = help_options(out.stdout)
    agree((f"{name}/help-in-man", f"{name}/man-in-help"), in_help, man_options(page), "--help",
          "the man page's OPTIONS")
    if not command:
        return
    # "-h -h": an option's argument takes the first, the second ends in the help (or -V's
    # version); nothing starts tracing.
    unknown = [opt for opt in sorted(in_help)
               if "unknown option" in run(daxtrace, command, opt, "-h", "-h").stderr]
    result(f"{name}/help-accepted", not unknown, f"getopt does not know {unknown}")


def table_options(architecture):
    """command -> options, from the table of "Options: one language"."""
    text = architecture[architecture.index("## Options: one language"):]
    text = text[:text.index("\n## ", 1)]
    table = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        # the rows: "| `-b` | `--batch` | top, cow | ..." or "| | `--model` | share | ..."
        if len(cells) != 4 or (cells[0] and not cells[0].startswith("`-")):
            continue
        options = set(OPTION.findall(cells[0] + " " + cells[1]))
        names = set(re.findall(r"[a-z]+", cells[2]))
        if "every" in names:
            names |= set(COMMANDS) - {""}
        for name in names & set(COMMANDS):
            table.setdefault(name, set()).update(options)
    return table


def check_one_language(daxtrace):
    meanings = {}  # "-b" -> {"--batch": ["top", "cow"]}
    for command in COMMANDS:
        text = run(daxtrace, *([command] if command else []), "--help").stdout
        for short, long in re.findall(r"^ {0,6}(-[A-Za-z]), (--[\w-]+)", text, re.M):
            meanings.setdefault(short, {}).setdefault(long, []).append(command or "daxtrace")
    for short, longs in sorted(meanings.items()):
        result(f"one-language/{short}", len(longs) == 1,
               f"{short} means " + " and ".join(f"{long} in {', '.join(commands)}"
                                                 for long, commands in sorted(longs.items())))


def check_table(daxtrace, docs):
    table = table_options(open(f"{docs}/architecture.md").read())
    for command in COMMANDS:
        if not command:
            continue
        in_help = help_options(run(daxtrace, command, "--help").stdout)
        agree((f"{command}/help-in-table", f"{command}/table-in-help"), in_help,
              table.get(command, set()), "--help",
              f"architecture.md's option table for {command}")


def paragraph(lines, tag):
    """The text of the .TP paragraph whose tag holds option TAG."""
    for i, line in enumerate(lines[:-1]):
        if line.startswith(".TP") and tag in OPTION.findall(unroff(lines[i + 1])):
            body = []
            for text in lines[i + 2:]:
                if text.startswith((".TP", ".SH", ".PP")):
                    break
                body.append(text)
            return "\n".join(body)
    return ""


def check_sort_keys(daxtrace, docs, command):
    err = run(daxtrace, command, "-s", "?").stderr
    match = re.search(r"expected one of (.*)$", err.splitlines()[0] if err else "")
    if not match:
        result(f"{command}/sort-keys", False, f"no key list in: {err.strip()}")
        return
    accepted = set(match.group(1).split(", "))
    page = open(f"{docs}/daxtrace-{command}.8").read()
    text = paragraph(section(page, "OPTIONS"), "-s")
    documented = set(re.findall(r"\\fB(\w+)\\fR", text)) - {"default"}
    agree((f"{command}/sort-keys-in-man", f"{command}/man-sort-keys-accepted"), accepted,
          documented, "the keys -s accepts", f"the -s of daxtrace-{command}.8")


def keys(obj):
    """Every key of a JSON object, nested ones as their own names too."""
    found = set()
    for key, value in obj.items():
        found.add(key)
        if isinstance(value, dict):
            found |= keys(value)
    return found


def compare(command, what, actual, documented, page):
    agree((f"{command}/{what}-in-man", f"{command}/man-{what}-in-json"), actual, documented,
          "the JSON", page)


def json_report(daxtrace, command):
    out = run(daxtrace, command, "--json", "-n", "1", "-i", "0.01")
    lines = [line for line in out.stdout.splitlines() if line.startswith('{"time"')]
    return json.loads(lines[0]) if lines else None


def check_json(daxtrace, docs):
    top_page = open(f"{docs}/daxtrace-top.8").read()
    cow_page = open(f"{docs}/daxtrace-cow.8").read()
    top, cow = json_report(daxtrace, "top"), json_report(daxtrace, "cow")
    if not top or not cow:
        result("json", False, "top or cow --json printed no report")
        return
    block = section(top_page, "JSON")
    # the report's own keys start the lines of the example (.nf to .fi): {"time"..., then
    # one space and "interval_s"...
    example = block[block.index(".nf"):block.index(".fi")]
    report_keys = {m.group(1) for line in example if (m := re.match(r'^[{ ]"(\w+)"', line))}
    compare("top", "json-report-keys", set(top), report_keys, "daxtrace-top.8")
    text = " ".join(block)
    counters = text[text.index("COUNTERS are the keys"):text.index("\\fBpath\\fR is built")]
    compare("top", "json-counters", keys(top["total"]), set(re.findall(r"\\fB(\w+)\\fR", counters)),
            "daxtrace-top.8")
    # cow: top's report keys without devices, with no_reflink; its COUNTERS in its own example
    compare("cow", "json-report-keys", set(cow), report_keys - {"devices"} | {"no_reflink"},
            "daxtrace-top.8 (as cow.8 says)")
    block = section(cow_page, "JSON")
    start = next(i for i, line in enumerate(block) if line.startswith('{"remaps"'))
    documented = set(re.findall(r'"(\w+)"', "\n".join(block[start:])))
    compare("cow", "json-counters", keys(cow["total"]), documented, "daxtrace-cow.8")


def main():
    daxtrace, docs = sys.argv[1], sys.argv[2]
    for command in COMMANDS:
        check_options(daxtrace, docs, command)
    check_one_language(daxtrace)
    check_table(daxtrace, docs)
    for command in ("top", "cow"):
        check_sort_keys(daxtrace, docs, command)
    if len(sys.argv) > 3 and sys.argv[3] == "json":
        check_json(daxtrace, docs)


if __name__ == "__main__":
    main()
