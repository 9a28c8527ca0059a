"""Checks of the expectations folder that guard the run against its own settings.

The expectations are edited by hand and may come from elsewhere, so loading refuses, with the
file and the key, what would otherwise hang, blow up or silently switch a check off:

- a YAML file whose aliases expand into more nodes than any expectations file holds (a
  "billion laughs": nine levels of nine aliases are 387 million nodes);
- a regular expression whose backtracking can take exponential or high polynomial time
  (`^(a|a)+$` on a cell of thirty a's and a stop runs for minutes);
- a threshold of the wrong type or out of its range, NaN or infinite, or empty;
- a message template with positional or unknown fields (`{0}` fails only when a flag is built);
- an expectation on a column its table does not have.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import ConfigError

# --- YAML: a bounded node count -------------------------------------------------------------

# The largest expectations file (rules.yaml) holds some 2,000 values; an alias stands for a copy
# of what it names wherever the data is walked, pickled for a worker or written out, so the
# count as expanded is what is bounded.
MAX_YAML_NODES = 100_000
MAX_YAML_DEPTH = 64

# libyaml's composer where PyYAML was built with it: 5x faster, and every run reads the rules.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"
MAX_INT_CHARS = 40  # digits, sign and separators (1_000_000) of one whole number


def read_yaml_text(path: Path, text: str) -> Any:
    """TEXT (the content of PATH) as Python data. The document is composed into nodes first, and
    its nodes counted as the data would hold them (an alias once per use) before anything is
    built: more than MAX_YAML_NODES, nesting deeper than MAX_YAML_DEPTH, a NaN or infinite
    number are refused as ConfigError naming the file, the key and the line."""
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(path, node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_nodes(path: Path, root: yaml.Node) -> None:
    def shown(key: str) -> str:  # an alias's expansion makes long paths: their start says where
        return key if len(key) <= 60 else key[:60] + "…"

    count = 0
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 0)]
    while stack:
        node, key, depth = stack.pop()
        count += 1
        if count > MAX_YAML_NODES:
            raise ConfigError(f"{path}: expands to more than {MAX_YAML_NODES:,} values (aliases that repeat "
                              f"aliases?), at {shown(key) or 'the top'}, line {node.start_mark.line + 1}; an expectations "
                              "file holds far fewer")
        if depth > MAX_YAML_DEPTH:
            raise ConfigError(f"{path}: nested more than {MAX_YAML_DEPTH} levels deep at {shown(key)}, "
                              f"line {node.start_mark.line + 1}")
        if isinstance(node, yaml.MappingNode):
            for item_key, value in node.value:
                name = item_key.value if isinstance(item_key, yaml.ScalarNode) else "?"
                stack.append((value, f"{key}.{name}" if key else str(name), depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{key}[{i}]", depth + 1) for i, item in enumerate(node.value))
        elif node.tag == _INT_TAG and len(node.value) > MAX_INT_CHARS:
            raise ConfigError(f"{path}: {shown(key)} is a whole number of {len(node.value):,} characters at line "
                              f"{node.start_mark.line + 1}; a setting has a few digits")
        elif node.tag == _FLOAT_TAG and not math.isfinite(_FLOATS.construct_yaml_float(node)):
            raise ConfigError(f"{path}: {key} is {node.value} at line {node.start_mark.line + 1}; "
                              "a number here must be finite")


_FLOATS = yaml.SafeLoader("")  # construct_yaml_float reads no state of its loader


# --- regular expressions ---------------------------------------------------------------------

# Keys that hold a pattern, in a suite's kwargs or any expectations file.
PATTERN_KEYS = ("regex", "regex_list", "pattern", "patterns")
PROBE_TIMEOUT = 0.5   # seconds one probe may take: a safe pattern takes microseconds, a quadratic one milliseconds
PROBE_REPEATS = (32, 2_000)  # pumps: exponential blow-up shows at 32, cubic at 2,000


def check_patterns(path: Path, data: Any, where: str = "") -> None:
    """Compile every pattern under a PATTERN_KEYS key of DATA with the regex module and refuse
    one that can backtrack catastrophically (see catastrophic_reason)."""
    if isinstance(data, dict):
        for key, value in data.items():
            inner = f"{where}.{key}" if where else str(key)
            if key in PATTERN_KEYS:
                patterns = value if isinstance(value, list) else [value]
                for i, pattern in enumerate(patterns):
                    at = f"{inner}[{i}]" if isinstance(value, list) else inner
                    if not isinstance(pattern, str):
                        raise ConfigError(f"{path}: {at} must be a pattern (a string)")
                    reason = catastrophic_reason(pattern)
                    if reason:
                        raise ConfigError(f"{path}: {at} {pattern!r} {reason}")
            else:
                check_patterns(path, value, inner)
    elif isinstance(data, list):
        for i, value in enumerate(data, start=1):
            check_patterns(path, value, f"{where} entry {i}" if where else f"entry {i}")


def catastrophic_reason(pattern: str) -> str | None:
    """Why PATTERN may not be run on untrusted text, or None when it may.

    Two tests, either refusing. (1) Structure, on the parse tree: a repeat (+, *, {n,}) whose
    body can match one string in more than one way - it holds another unbounded repeat, an
    alternation whose branches can start with the same character, or it can match the empty
    string - lets a backtracking engine try exponentially many splits of a string that finally
    fails (`(a|a)+$`, `(a+)+$`, `(\\s*\\w*)*$`). Possessive repeats and atomic groups do not
    backtrack and are let through. (2) A probe, for what the structure test does not see
    (polynomial blow-ups such as `\\d+\\d+\\d+$`, syntax only the regex module has): for each
    repeat, a string that reaches it, repeats what its body matches, and then fails, run under
    the regex module's timeout.

    >>> catastrophic_reason("^(a|a)+$")
    'repeats a group whose alternatives can match the same text: backtracking on a string that fails takes exponential time'
    >>> catastrophic_reason(r"^\\d{4}年$") is None
    True
    """
    import regex

    try:
        compiled = regex.compile(pattern)
    except (regex.error, ValueError) as err:
        return f"is not a valid pattern ({err})"
    tree = _parse(pattern)
    if tree is not None:
        reason = _structure_reason(tree)
        if reason:
            return reason
    for attack in _attacks(tree, pattern):
        try:
            compiled.search(attack, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return (f"takes over {PROBE_TIMEOUT:g} s on a string of {len(attack):,} characters that fails to "
                    "match: its backtracking grows too fast with the text")
    return None


def _parse(pattern: str):
    """The parse tree of Python's re (which the regex module's common syntax shares); None for
    syntax re does not know (\\p{Han}), which then gets the probe only."""
    import re._parser as sre_parse  # noqa: PLC2701 - the only parser of regular expressions at hand

    try:
        return sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - re.error, or anything an unknown construct raises
        return None


def _constants():
    import re._constants as c  # noqa: PLC2701

    return c


def _structure_reason(tree) -> str | None:
    c = _constants()
    for op, av in _walk(tree):
        if op not in (c.MAX_REPEAT, c.MIN_REPEAT):
            continue
        low, high, body = av
        if high != c.MAXREPEAT and high <= 1:
            continue
        if _nullable(body):
            return ("repeats a group that can match the empty string: backtracking on a string that fails "
                    "takes exponential time")
        if _loose_inner_repeat(body):
            return ("repeats a group that is one unbounded repeat and optional parts (`(a+)+`, `(\\w+\\s?)*`): "
                    "backtracking on a string that fails tries every split of a run, exponential time; make the "
                    "inner repeat possessive (a++) or atomic ((?>…)), or write it without nesting")
        if any(o == c.BRANCH and _branches_overlap(a[1]) for o, a in _walk(body)):
            return ("repeats a group whose alternatives can match the same text: backtracking on a string that fails "
                    "takes exponential time")
    return None


def _loose_inner_repeat(body) -> bool:
    """Whether BODY (of a repeat) is an unbounded repeat, nothing else in it being required: then
    a run the inner repeat matches can be cut into the outer repeat's turns in every way. A
    required part that the inner one cannot take (`(\\d+,)*`) marks where each turn ends."""
    c = _constants()
    items = _sequence(body)
    for i, (op, av) in enumerate(items):
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[1] == c.MAXREPEAT and not _nullable(av[2]) \
                and _nullable(items[:i] + items[i + 1:]):
            return True
    return False


def _sequence(tree) -> list:
    """TREE's items with its groups opened: (a+)(b?) -> a+, b?."""
    c = _constants()
    items = []
    for op, av in tree:
        if op == c.SUBPATTERN:
            items += _sequence(av[3])
        else:
            items.append((op, av))
    return items


def _walk(tree):
    """Every (op, av) of TREE, not entering possessive repeats or atomic groups (they never
    backtrack into themselves) nor lookarounds."""
    c = _constants()
    for op, av in tree:
        if op in (c.POSSESSIVE_REPEAT, c.ATOMIC_GROUP):
            continue
        yield op, av
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            yield from _walk(av[2])
        elif op == c.SUBPATTERN:
            yield from _walk(av[3])
        elif op == c.BRANCH:
            for branch in av[1]:
                yield from _walk(branch)


def _first(tree) -> set | None:
    """The characters a match of TREE can start with (None: any, or unknown); empty when TREE
    matches only the empty string."""
    c = _constants()
    chars: set = set()
    for op, av in tree:
        if op == c.LITERAL:
            return chars | {av}
        if op == c.IN and all(o == c.LITERAL for o, _ in av):
            return chars | {a for _, a in av}
        if op in (c.AT,):
            continue
        if op == c.SUBPATTERN:
            inner, sub = _first(av[3]), av[3]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            inner, sub = _first(av[2]), av[2] if av[0] > 0 else []
        elif op == c.ATOMIC_GROUP:
            inner, sub = _first(av), av
        elif op == c.BRANCH:
            firsts = [_first(b) for b in av[1]]
            if any(f is None for f in firsts):
                return None
            inner, sub = set().union(*firsts), [] if any(_nullable(b) for b in av[1]) else [(op, av)]
        else:
            return None  # a class, a category, any character: too wide to tell apart
        if inner is None:
            return None
        chars |= inner
        if not _nullable(sub):
            return chars
    return chars


def _branches_overlap(branches) -> bool:
    """Whether two alternatives can match the same text: both empty, or starting alike."""
    if sum(map(_nullable, branches)) > 1:
        return True
    firsts = [_first(b) for b in branches]
    for i, one in enumerate(firsts):
        for other in firsts[i + 1:]:
            if one is None or other is None or one & other:
                return True
    return False


def _nullable(tree) -> bool:
    """Whether TREE can match the empty string."""
    c = _constants()
    for op, av in tree:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if av[0] == 0 or _nullable(av[2]):
                continue
            return False
        if op == c.SUBPATTERN:
            if _nullable(av[3]):
                continue
            return False
        if op == c.ATOMIC_GROUP:
            if _nullable(av):
                continue
            return False
        if op == c.BRANCH:
            if any(_nullable(b) for b in av[1]):
                continue
            return False
        if op == c.GROUPREF:
            continue
        return False
    return True


_FAIL = "\x00"  # ends every probe: no pattern of these files expects it


def _attacks(tree, pattern: str):
    """Probe strings: for each repeat, what leads to it, its body's example pumped, then a stop.
    Without a tree (syntax re does not parse), pumps of a few common characters."""
    if tree is None:
        for char in ("a", "1", "中", " "):
            for n in PROBE_REPEATS:
                yield char * n + _FAIL
        return
    for path in _repeat_paths(tree):
        for n in PROBE_REPEATS:
            yield _example(tree, path, n) + _FAIL


def _repeat_paths(tree, prefix=()):
    """The position of every repeat of TREE, as a tuple of indices into nested bodies."""
    c = _constants()
    for i, (op, av) in enumerate(tree):
        here = (*prefix, i)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            yield here
            yield from _repeat_paths(av[2], (*here, "body"))
        elif op == c.SUBPATTERN:
            yield from _repeat_paths(av[3], (*here, "body"))
        elif op == c.ATOMIC_GROUP:
            yield from _repeat_paths(av, (*here, "body"))
        elif op == c.BRANCH:
            for j, branch in enumerate(av[1]):
                yield from _repeat_paths(branch, (*here, j))


def _example(tree, target: tuple, pumps: int) -> str:
    """A string that TREE matches up to the repeat at TARGET, which is pumped PUMPS times; what
    follows that repeat is left out, so that the string stops where the repeat must give way."""
    c = _constants()
    out = []
    for i, (op, av) in enumerate(tree):
        on_path = bool(target) and target[0] == i
        rest = target[1:] if on_path else ()
        if target and i > target[0]:
            break
        if op == c.LITERAL:
            out.append(chr(av))
        elif op == c.NOT_LITERAL:
            out.append("a" if av != ord("a") else "b")
        elif op == c.ANY:
            out.append("a")
        elif op == c.IN:
            out.append(_class_example(av))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _, body = av
            if on_path and not rest:
                out.append(_example(body, (), 0) * max(pumps, low))
            elif on_path:
                out.append(_example(body, (), 0) * low + _example(body, rest[1:], pumps))
            else:
                out.append(_example(body, (), 0) * low)
        elif op == c.SUBPATTERN:
            out.append(_example(av[3], rest[1:] if on_path else (), pumps))
        elif op == c.ATOMIC_GROUP:
            out.append(_example(av, rest[1:] if on_path else (), pumps))
        elif op == c.BRANCH:
            index = rest[0] if on_path else 0
            out.append(_example(av[1][index], rest[1:] if on_path else (), pumps))
        # AT, assertions, group references: nothing to add
    return "".join(out)


def _class_example(items) -> str:
    c = _constants()
    for op, av in items:
        if op == c.LITERAL:
            return chr(av)
        if op == c.RANGE:
            return chr(av[0])
        if op == c.CATEGORY:
            return {c.CATEGORY_DIGIT: "1", c.CATEGORY_SPACE: " ", c.CATEGORY_WORD: "a"}.get(av, "a")
    return "a"


# --- thresholds: one schema -------------------------------------------------------------------

@dataclass(frozen=True)
class Number:
    """A threshold that is a number: whole or not, within [low, high] (None: unbounded), low
    excluded when low_open."""
    low: float | None = None
    high: float | None = None
    whole: bool = False
    low_open: bool = False

    def problem(self, value: Any) -> str | None:
        if value is None or value == "":
            return "is empty"
        if isinstance(value, bool) or not isinstance(value, int if self.whole else (int, float)):
            return f"is {value!r}, not a {'whole ' if self.whole else ''}number"
        if not math.isfinite(value):
            return f"is {value}, not a finite number"
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return f"is {value}, below {'or at ' if self.low_open else ''}its least value {self.low:g}"
        if self.high is not None and value > self.high:
            return f"is {value}, above its greatest value {self.high:g}"
        return None


# The values thresholds.yaml hands to the suites ($PARAMETER), each with its type and range.
SUITE_PARAMETERS = {
    "rate_min": Number(0, 100),        # a rate below this is impossible (RANGE001)
    "rate_max": Number(0, 1000),       # above this too: 100, or more where a rate may exceed it
    "robust_z_max": Number(0, None, low_open=True),  # robust standard deviations (RANGE003)
}


def check_suite_parameters(path: Path, parameters: dict) -> None:
    for name, value in parameters.items():
        schema = SUITE_PARAMETERS.get(name, Number())
        problem = schema.problem(value)
        if problem:
            raise ConfigError(f"{path}: suite_parameters.{name} {problem}")
    low, high = parameters.get("rate_min"), parameters.get("rate_max")
    if low is not None and high is not None and low > high:
        raise ConfigError(f"{path}: suite_parameters.rate_min ({low}) is above rate_max ({high})")


def check_boolean(path: Path, value: Any, key: str) -> bool:
    """A setting that is on or off must be written true or false: "false" (a string) is true in Python."""
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: {key} is {value!r}; write true or false (without quotes)")
    return value


def suite_parameter_names(value: Any) -> set[str]:
    """The names a suite's kwargs refer to as {"$PARAMETER": name}."""
    if isinstance(value, dict):
        if set(value) == {"$PARAMETER"}:
            return {str(value["$PARAMETER"])}
        return set().union(*(suite_parameter_names(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(suite_parameter_names(v) for v in value)) if value else set()
    return set()


# --- message templates --------------------------------------------------------------------------

def template_fields(path: Path, template: str, where: str) -> set[str]:
    """The fields TEMPLATE names, each as a plain {name}: a positional field ({0} or {}), an
    attribute or index ({a.b}, {a[0]}), a conversion or a format spec is refused (the values are
    texts, filled by name), and so is a brace that opens nothing."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as err:
        raise ConfigError(f"{path}: {where} is not a valid template ({err}); write a literal brace as {{{{ or }}}}") \
            from None
    names = set()
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name == "" or name.isdigit():
            raise ConfigError(f"{path}: {where} has a positional field {{{name}}}; name a column, as {{stated_expr}}")
        if not name.isidentifier():
            raise ConfigError(f"{path}: {where} has field {{{name}}}; a field is a column's plain name")
        if spec or conversion:
            raise ConfigError(f"{path}: {where} formats field {{{name}}}; a field is filled as text, write {{{name}}}")
        names.add(name)
    return names


# --- columns: those of the frames (auditor/columns.py) ------------------------------------------

# Fields a flag's templates get beside the columns of the failing row (auditor/flags.py).
EXTRA_TEMPLATE_FIELDS = {"facts": {"plausible"}, "relations": {"plausible"}, "documents": {"plausible"}}
_COLUMN_KEYS = ("column", "column_A", "column_B")
_COLUMN_LIST_KEYS = ("column_list",)


def check_columns(config, columns: dict[str, frozenset[str]] | None = None) -> None:
    """Refuse an expectation, a rule's evidence or a template that names a column its table does
    not have: Great Expectations would skip it or fail only when the run is done, and a
    template's unknown field would read "?" in every flag. COLUMNS: table -> column names
    (default: those of auditor/columns.py)."""
    if columns is None:
        from auditor.columns import table_columns

        columns = table_columns()
    suites = config.root / "suites"
    for table, suite in config.suites.items():
        known = columns[table]
        for i, expectation in enumerate(suite["expectations"], start=1):
            where = f"{suites / (table + '.json')}: expectation {i} ({expectation['meta'].get('rule')})"
            named = [(key, expectation["kwargs"].get(key)) for key in _COLUMN_KEYS if key in expectation["kwargs"]]
            named += [(key, name) for key in _COLUMN_LIST_KEYS for name in expectation["kwargs"].get(key) or ()]
            named += [("row_condition", name) for name in _condition_columns(expectation["kwargs"].get("row_condition"))]
            named += [("meta.evidence", name) for name in expectation["meta"].get("evidence") or ()]
            for key, name in named:
                if name not in known:
                    raise ConfigError(f"{where} {key} names column {name!r}, which table {table} does not have")
    rules_path = config.root / "rules.yaml"
    for rule in config.rules.values():
        known = columns[rule.table] | EXTRA_TEMPLATE_FIELDS[rule.table]
        for where, template in rule_templates(rule):
            for name in template_fields(rules_path, template, f"rule {rule.code} {where}"):
                if name not in known:
                    raise ConfigError(f"{rules_path}: rule {rule.code} {where} names field {{{name}}}, which is no "
                                      f"column of table {rule.table}")


def rule_templates(rule):
    """(where, template) for every template of RULE: its message, tried, expected, observed, sides."""
    for lang, text in rule.message.items():
        yield f"message.{lang}", text
    for lang, text in rule.tried.items():
        yield f"tried.{lang}", text
    yield "expected", rule.expected
    yield "observed", rule.observed
    for side, texts in rule.sides.items():
        for lang, text in texts.items():
            yield f"sides.{side}.{lang}", text


def _condition_columns(condition: Any) -> list[str]:
    """The columns a row_condition (GX's structured form) compares."""
    if isinstance(condition, dict):
        names = []
        column = condition.get("column")
        if isinstance(column, dict) and "name" in column:
            names.append(column["name"])
        elif isinstance(column, str):
            names.append(column)
        for inner in condition.get("conditions") or ():
            names += _condition_columns(inner)
        return names
    return []
