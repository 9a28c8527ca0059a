"""Which rules a run applies: rules.yaml's `enabled`, then --select, --extend-select and --ignore,
read as ruff reads them.

A selector is a rule code (ARITH001), a prefix of codes (ARITH, DISC00), a category in lower case
(arithmetic, template) or ALL. With no --select, the rules rules.yaml enables are on; --select
replaces that set, --extend-select adds to it, --ignore takes away. Where selectors disagree
about a rule, the most specific wins (a code over a prefix, a longer prefix over a shorter, a
prefix over a category, a category over ALL); between equally specific ones, --ignore.

    --select ARITH --ignore ARITH002        ARITH001 and ARITH003
    --ignore template --extend-select DISC006   every enabled rule but DISC001–DISC004, DISC007–9
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditor.config import CATEGORIES, Config, Rule
from auditor.errors import AuditorError

ALL = "ALL"
_CODE_SPECIFICITY = 1_000


@dataclass(frozen=True)
class Selector:
    text: str
    kind: str          # "all", "category", "prefix" or "code"
    specificity: int

    def matches(self, rule: Rule) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "category":
            return rule.category == self.text
        return rule.code.startswith(self.text)


def parse_selectors(values: Iterable[str] | None, option: str, rules: dict[str, Rule]) -> list[Selector]:
    """--select ARITH,rate --select DATE001 -> three selectors; an unknown one is a usage error."""
    selectors = []
    for value in values or ():
        for text in (part.strip() for part in value.split(",")):
            if text:
                selectors.append(_selector(text, option, rules))
    return selectors


def _selector(text: str, option: str, rules: dict[str, Rule]) -> Selector:
    if text.upper() == ALL:
        return Selector(ALL, "all", 0)
    if text in CATEGORIES:  # lower case: a category (RATE, in capitals, is a prefix of codes)
        return Selector(text, "category", 1)
    code = text.upper()
    if code in rules:
        return Selector(code, "code", _CODE_SPECIFICITY)
    if any(known.startswith(code) for known in rules):
        return Selector(code, "prefix", 1 + len(code))
    raise AuditorError(f"{option} {text}: no rule code, prefix of codes or category is named so "
                       "(`auditor rules` lists them)")


def selected_rules(rules: dict[str, Rule], select: Sequence[Selector] = (), extend_select: Sequence[Selector] = (),
                   ignore: Sequence[Selector] = (), explicit_select: bool = False) -> set[str]:
    """The codes of the rules a run applies. EXPLICIT_SELECT: --select was given (perhaps empty)."""
    chosen = set()
    replaced = explicit_select or bool(select)
    for code, rule in rules.items():
        on, best = (False if replaced else rule.enabled), -1
        for selector in [*select, *extend_select]:
            if selector.matches(rule) and selector.specificity > best:
                on, best = True, selector.specificity
        for selector in ignore:
            if selector.matches(rule) and selector.specificity >= best:
                on, best = False, selector.specificity
        if on:
            chosen.add(code)
    return chosen


def choose_rules(config: Config, select: list[str] | None = None, extend_select: list[str] | None = None,
                 ignore: list[str] | None = None) -> set[str]:
    """The rules a run applies, from the options as given on the command line."""
    return selected_rules(config.rules, parse_selectors(select, "--select", config.rules),
                          parse_selectors(extend_select, "--extend-select", config.rules),
                          parse_selectors(ignore, "--ignore", config.rules), explicit_select=bool(select))


def with_rules(config: Config, codes: set[str]) -> Config:
    """CONFIG applying only the rules CODES: the others and their expectations are left out, so
    they neither run nor appear in the outputs (SARIF's rules, junit's categories)."""
    if not codes:
        raise AuditorError("no rule is selected (see --select, --ignore and `enabled` in rules.yaml)")
    if codes >= set(config.rules):
        return config
    suites = {table: {**suite, "expectations": [e for e in suite.get("expectations", ())
                                                if (e.get("meta") or {}).get("rule") in codes]}
              for table, suite in config.suites.items()}
    rules = {code: rule for code, rule in config.rules.items() if code in codes}
    return dataclasses.replace(config, rules=rules, suites=suites)
