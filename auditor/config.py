"""Load and validate the reviewer-editable `expectations/` folder.

Everything a reviewer may tune lives there: the rules (codes, severities, messages, docs),
the thresholds, the metric vocabulary and one Great Expectations suite per frame. This module
reads them once, checks that they agree with each other, and turns every problem into a
ConfigError that names the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import ConfigError
from auditor.settings_checks import (
    check_boolean, check_patterns, check_suite_parameters, read_yaml_text, rule_templates, suite_parameter_names,
    template_fields,
)

SEVERITIES = ("error", "warning", "info")  # most to least severe
CATEGORIES = ("arithmetic", "bound", "rate", "range", "date", "consistency", "template", "document", "input")
TABLES = ("documents", "facts", "relations")
UNIT_KINDS = ("count", "money", "percent")
REPORT_KINDS = ("rule_of_law", "disclosure", "work_report", "other")
ISSUERS = ("any", "government", "department")  # who a publication deadline binds


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    category: str
    severity: str
    table: str
    summary: str
    message: dict[str, str]
    expected: str
    observed: str
    docs: dict[str, str]
    tried: dict[str, str] = field(default_factory=dict)  # added to the message: the other readings tried
    enabled: bool = True     # false: left out of a run unless --select names it
    zh: dict[str, str] = field(default_factory=dict)     # title, summary, what, why in Chinese
    # What the workbook's columns hold for a flag: side (stated, computed, required) -> lang -> template
    sides: dict[str, dict[str, str]] = field(default_factory=dict)
    difference: bool = True  # whether stated − computed means something (false: a rate against its base)

    def title(self, lang: str = "en") -> str:
        """A short name a reader says: 分项之和与总数不符, or parts do not sum to whole."""
        if lang == "zh" and self.zh.get("title"):
            return self.zh["title"]
        return self.name.replace("-", " ")

    def text(self, key: str, lang: str = "en") -> str:
        """summary, what or why in LANG (English where no Chinese is given)."""
        if lang == "zh" and self.zh.get(key):
            return self.zh[key]
        return self.summary if key == "summary" else self.docs[key]


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str  # one of UNIT_KINDS
    words: tuple[str, ...]


@dataclass(frozen=True)
class SumTemplate:
    name: str
    whole: str
    parts: tuple[str, ...]
    whole_extra: tuple[str, ...] = ()
    optional_parts: tuple[str, ...] = ()
    exhaustive: bool = True  # False: the parts need not cover the whole (outcomes leave out 撤回, 终止)


@dataclass(frozen=True)
class BoundTemplate:
    part: str
    wholes: tuple[str, ...]
    whole_extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class RateTemplate:
    rate: str
    numerators: tuple[str, ...]  # summed: 纠错率 = (撤销 + 变更 + 确认违法 + 责令履行) / 审结
    denominators: tuple[str, ...]
    denominator_extra: tuple[str, ...] = ()
    # words of counts settled when received (当场答复): concluded too, before the numerator's count
    settled_at_once: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # hashed by identity: patterns built from it are cached
class Vocabulary:
    count_units: tuple[str, ...]
    money_units: dict[str, int]
    percent_units: tuple[str, ...]
    measure_units: tuple[str, ...]
    qualifiers: dict[str, tuple[str, ...]]
    change_markers: tuple[str, ...]
    comparison_words: tuple[str, ...]
    proportion_words: tuple[str, ...]
    plan_words: tuple[str, ...]
    not_plan_words: tuple[str, ...]  # names that hold a plan word but name a category (一般公共预算)
    average_words: tuple[str, ...]
    families: dict[str, tuple[str, ...]]  # family -> topic words
    weak_family_words: dict[str, tuple[str, ...]]  # family -> words that count only when no other does
    not_topic_words: tuple[str, ...]
    family_names: dict[str, dict[str, str]]  # family -> {"zh": …, "en": …}
    metrics: dict[str, Metric]
    sums: tuple[SumTemplate, ...]
    bounds: tuple[BoundTemplate, ...]
    rates: tuple[RateTemplate, ...]
    included_words: tuple[str, ...]
    unit_dimensions: dict[str, str]  # unit -> its dimension: 件, 宗 and 起 count one kind of thing
    traditional_markers: str = ""    # characters only traditional script has (ingest/script.py)
    traditional_min_count: int = 8
    numeral_words: NumeralWords = field(default_factory=lambda: NumeralWords())
    session_ordinals: SessionOrdinals = field(default_factory=lambda: SessionOrdinals())


@dataclass(frozen=True)
class ListShapes:
    subset_markers: tuple[str, ...]
    total_words: tuple[str, ...]
    not_total_words: tuple[str, ...]
    closing_words: tuple[str, ...]
    joiners: tuple[str, ...]
    catch_all_words: tuple[str, ...]
    partial_words: tuple[str, ...]
    overlapping_groups: tuple[str, ...]
    near_complete_shortfall: float
    scope_openers: tuple[str, ...]
    scope_closers: tuple[str, ...]
    scope_fillers: tuple[str, ...]
    scope_list_words: tuple[str, ...]
    negation_words: tuple[str, ...]


@dataclass(frozen=True)
class RestShapes:
    completion_words: tuple[str, ...]
    completion_fillers: tuple[str, ...]
    except_not_words: tuple[str, ...]
    rest_words: tuple[str, ...]


@dataclass(frozen=True)
class ShareShapes:
    share_words: tuple[str, ...]
    classification_words: tuple[str, ...]
    generic_bases: tuple[str, ...]
    respective_words: tuple[str, ...]


@dataclass(frozen=True)
class ChangeShapes:
    rise_words: tuple[str, ...]
    fall_words: tuple[str, ...]
    fillers: tuple[str, ...]
    negations: tuple[str, ...]
    previous_level_words: tuple[str, ...]
    ratio_words: tuple[str, ...]


@dataclass(frozen=True)
class RestatementShapes:
    subset_words: tuple[str, ...]
    generic_nouns: tuple[str, ...]
    administrative_units: tuple[str, ...]
    whole_words: tuple[str, ...]
    whole_year_words: tuple[str, ...]
    whole_after_words: tuple[str, ...]
    whole_claim_words: tuple[str, ...]
    not_yet_words: tuple[str, ...]
    verbs_after_noun: tuple[str, ...]
    other_time_words: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: patterns built from it are cached
class Shapes:
    """The sentence shapes of shapes.yaml: the words the relation readers read structure by."""
    lists: ListShapes
    rest: RestShapes
    shares: ShareShapes
    changes: ChangeShapes
    restatements: RestatementShapes


@dataclass(frozen=True)
class NumeralWords:
    """Chinese numerals that are part of a word (vocabulary.yaml numeral_words)."""
    suffixes: tuple[str, ...] = ()           # 一次性: numeral + unit + suffix is one word,
    suffix_numerals: tuple[str, ...] = ()    # for these numerals,
    suffix_exceptions: tuple[str, ...] = ()  # unless the suffix begins one of these (一个化工园区)
    unit_words: tuple[str, ...] = ()         # 一部分: the unit's character begins another word
    ending_in_numeral: tuple[str, ...] = ()  # 统一部署: the numeral ends the word before it
    ordinal_numerals: tuple[str, ...] = ()   # 二期工程: a rank or a kind, not a number,
    ordinal_units: tuple[str, ...] = ()      # before these units
    set_phrases: tuple[str, ...] = ()        # 一件事


@dataclass(frozen=True)
class SessionOrdinals:
    """十三届全国人大一次会议: the session's number after a 届 (vocabulary.yaml session_ordinals)."""
    markers: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlausibleRange:
    family: str  # "*" for any
    metric: str
    min: float
    max: float


@dataclass(frozen=True)
class PublicationDeadline:
    """DATE003: a report of this kind on a year in [first_year, last_year], by this issuer, must
    be published by month/day of the following year."""
    kind: str
    month: int
    day: int
    basis: dict[str, str]             # the provision that sets it: {"zh": …, "en": …}
    first_year: int | None = None     # None: no lower bound
    last_year: int | None = None      # None: no upper bound
    issuer: str = "any"               # one of ISSUERS

    def covers(self, year: int) -> bool:
        return ((self.first_year is None or year >= self.first_year)
                and (self.last_year is None or year <= self.last_year))


@dataclass(frozen=True)
class LineWrap:
    """When a report's text keeps its page's line breaks (thresholds.yaml line_wrap)."""
    min_chars: int = 16     # lines shorter than this (headings, table cells) are not counted
    min_lines: int = 10     # lines about as long as the most common length, at least
    min_share: float = 0.4  # and at least this share of the lines counted
    shorter: int = 2        # "about as long": this many characters shorter,
    longer: int = 8         # or this many longer (half-width digits make a line longer)
    max_chars: int = 80     # no page holds longer lines: text whose first lines are longer is not laid out


@dataclass(frozen=True)
class YearJump:
    """How far a figure may move from last year's before RANGE004 points at it (thresholds.yaml)."""
    metric: str              # a metric of vocabulary.yaml or a template cell (new.total), or * for any
    family: str = "*"
    factor: float = 10.0     # this year's figure above factor x last year's, or below last year's / factor
    min_level: float = 50.0  # the larger of the two figures at least this: 2 cases to 20 is no news


@dataclass(frozen=True)
class AcrossYears:
    """The checks against last year's report of the same body (thresholds.yaml across_years)."""
    jumps: tuple[YearJump, ...] = (YearJump("*"),)
    stock_lapses: bool = True  # a stock below last year's + issued - repealed is read as lapsed documents

    def jump(self, family: str, metric: str) -> YearJump:
        """The most specific entry: family and metric, then metric, then the default."""
        for entry in self.jumps:
            if entry.metric == metric and entry.family == family:
                return entry
        for entry in self.jumps:
            if entry.metric == metric and entry.family == "*":
                return entry
        return next((e for e in self.jumps if e.metric == "*"), YearJump("*"))


@dataclass(frozen=True)
class Thresholds:
    allow_truncation: bool
    approximate_tolerance: float
    relation_scope: str
    suite_parameters: dict[str, Any]
    plausible_ranges: tuple[PlausibleRange, ...]
    outlier_min_reports: int = 5  # reports that must state a rate before RANGE003 compares them
    publication_deadlines: tuple[PublicationDeadline, ...] = ()
    # {"zh", "en"}: added to the basis named when the issuer is unknown and the later deadline is taken
    unknown_issuer_note: dict[str, str] = field(default_factory=dict)
    line_wrap: LineWrap = LineWrap()
    across_years: AcrossYears = AcrossYears()
    reading_budget_seconds: float = 60.0  # one report's reading time before it is given up


@dataclass(frozen=True, eq=False)  # hashed by identity: patterns built from it are cached
class ReportText:
    """What marks the parts of a report's text (report_text.yaml): the page chrome after the
    body, the closing words that end a report, and the words that tell who issued it."""
    chrome_line_max: int                 # a line this long or shorter holding a marker is page chrome
    chrome_markers: tuple[str, ...]      # anywhere in a short line
    chrome_line_starts: tuple[str, ...]  # a line (or a trailing piece of a long line) that starts so
    chrome_line_ends: tuple[str, ...]
    chrome_whole_lines: tuple[str, ...]
    attachment_extensions: tuple[str, ...]
    separator_chars: str
    closing_words: tuple[str, ...]       # a report may end on these without a full stop (特此报告)
    nothing_words: tuple[str, ...]       # a closing clause opening with one is complete (无其他需要报告的事项)
    table_units: tuple[str, ...]         # the units of a table's cells run together (行政复议数条00)
    issuer_endings: dict[str, tuple[str, ...]]  # government / department / unknown -> name endings


@dataclass(frozen=True)
class Named:
    """A template row, column or block: its key (where it has one) and its names."""
    key: str
    zh: str
    en: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatisticsIdentity:
    """Rows of the pre-2020 statistics table that must add up: the parts are at most the whole,
    and equal to it when one of complete_with is among them (a 其他 row closes the list); where
    the table says its parts may overlap (overlap_words), each part alone is at most the whole."""
    whole: str
    parts: tuple[str, ...]
    complete_with: tuple[str, ...] = ()
    overlap_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatisticsTemplate:
    """The 政府信息公开情况统计表 of the reports before 2020 (disclosure_template.yaml)."""
    start_words: tuple[str, ...]
    units: tuple[str, ...]
    columns: tuple[Named, ...]      # value columns, named by words of the header
    rows: tuple[Named, ...]
    identities: tuple[StatisticsIdentity, ...]


@dataclass(frozen=True)
class TextCheck:
    """A figure the prose states that a template table holds too (收到申请N件 = 本年新收)."""
    key: str
    zh: str
    words: tuple[str, ...]          # the figure's topic, right before it or right after its unit
    units: tuple[str, ...]
    targets: tuple[str, ...]        # the table values the figure may name (TEXT_TARGETS)
    verbs: tuple[str, ...] = ()     # when given, one stands in the clause before the figure


@dataclass(frozen=True)
class TextTemplate:
    whole_words: tuple[str, ...]    # the whole year's figure: 全年, 全区, 本年度 …
    subset_words: tuple[str, ...]   # a part of it: 其中, 各单位 …
    max_gap: int                    # characters between the topic and the figure
    checks: tuple[TextCheck, ...]


@dataclass(frozen=True)
class RegulationsTemplate:
    """The table of 第二十条第（一）项: documents issued, repealed and in force (disclosure_template.yaml)."""
    start_words: tuple[str, ...]
    columns: tuple[Named, ...]      # issued, repealed, in_force
    rows: tuple[Named, ...]         # rules (规章), normative (行政规范性文件)


@dataclass(frozen=True, eq=False)
class DisclosureTemplate:
    """The tables of the information-disclosure report (disclosure_template.yaml)."""
    columns: tuple[Named, ...]      # the applicant columns, the total last
    rows: dict[str, Named]          # TEMPLATE_ROWS -> the words that name the row
    appeal_start_words: tuple[str, ...]
    appeal_header_words: tuple[str, ...]
    block_columns: tuple[Named, ...]  # the total last
    blocks: tuple[Named, ...]
    statistics: StatisticsTemplate | None = None
    text: TextTemplate | None = None
    regulations: RegulationsTemplate | None = None


@dataclass(frozen=True, eq=False)
class IssuerVocabulary:
    """How a report's issuing body is named and compared (issuers.yaml)."""
    admin_units: tuple[str, ...]
    government_suffixes: tuple[str, ...]
    abbreviations: tuple[tuple[str, str], ...]  # (short, full), the longest short form first
    title_openers: tuple[str, ...]
    publisher_labels: tuple[str, ...]

    @cached_property
    def unit_pattern(self):
        """One administrative unit at the start of what is left of a name (淮安市 of 淮安市洪泽区)."""
        import regex

        units = "|".join(regex.escape(u) for u in sorted(self.admin_units, key=len, reverse=True))
        return regex.compile(rf"\p{{Han}}{{1,8}}?(?:{units})")


@dataclass(frozen=True)
class Config:
    root: Path
    rules: dict[str, Rule]
    thresholds: Thresholds
    vocabulary: Vocabulary
    template: DisclosureTemplate
    shapes: Shapes
    report_text: ReportText
    suites: dict[str, dict[str, Any]] = field(repr=False)
    issuers: IssuerVocabulary | None = None


QUALIFIER_KEYS = (
    "lower_bound_after", "lower_bound_before", "lower_bound_tail",
    "approximate_before", "approximate_tail", "upper_bound_before", "upper_bound_tail",
)


def default_expectations_dir() -> Path:
    """The folder used when --expectations is not given.

    ./expectations wins when present, so a reviewer editing the checked-out copy sees the
    effect at once; otherwise the copy shipped with the package (or the source tree) is used.
    """
    local = Path("expectations")
    if (local / "rules.yaml").is_file():
        return local
    package = Path(__file__).resolve().parent
    shipped = package / "_default_expectations"
    if shipped.is_dir():
        return shipped
    return package.parent / "expectations"


def load_config(root: Path | None = None) -> Config:
    root = Path(root) if root is not None else default_expectations_dir()
    if not root.is_dir():
        raise ConfigError(f"{root}: expectations folder not found")
    rules = _load_rules(root / "rules.yaml")
    thresholds = _load_thresholds(root / "thresholds.yaml")
    vocabulary = _load_vocabulary(root / "vocabulary.yaml")
    template = _load_template(root / "disclosure_template.yaml")
    shapes = _load_shapes(root / "shapes.yaml")
    report_text = _load_report_text(root / "report_text.yaml")
    issuers = _load_issuers(root / "issuers.yaml")
    suites = {table: _load_suite(root / "suites" / f"{table}.json", table, rules, thresholds) for table in TABLES}
    _check_ranges(root / "thresholds.yaml", thresholds, vocabulary)
    _check_every_rule_has_an_expectation(root, rules, suites)
    return Config(root=root, rules=rules, thresholds=thresholds, vocabulary=vocabulary, template=template,
                  shapes=shapes, report_text=report_text, suites=suites, issuers=issuers)


# --- file readers -------------------------------------------------------------------------

def _read_yaml(path: Path) -> Any:
    """The file's data: bounded in the values its aliases expand to, with no NaN or infinite
    number and no pattern that can backtrack without end (auditor.settings_checks)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror or err})") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    try:
        data = read_yaml_text(path, text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {getattr(err, 'problem', err)}") from err
    check_patterns(path, data)
    return data


def _mapping(path: Path, value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {what} must be a mapping")
    return value


def _strings(path: Path, value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value) or not value:
        raise ConfigError(f"{path}: {what} must be a non-empty list of words")
    return tuple(str(v) for v in value)


def _require(path: Path, entry: dict, key: str, where: str) -> Any:
    if key not in entry or entry[key] in (None, ""):
        raise ConfigError(f"{path}: {where} lacks '{key}'")
    return entry[key]


# --- rules --------------------------------------------------------------------------------

def _load_rules(path: Path) -> dict[str, Rule]:
    data = _mapping(path, _read_yaml(path), "the file")
    rules = {}
    for code, entry in data.items():
        where = f"rule {code}"
        entry = _mapping(path, entry, where)
        severity = _require(path, entry, "severity", where)
        if severity not in SEVERITIES:
            raise ConfigError(f"{path}: {where} has severity '{severity}', expected one of {', '.join(SEVERITIES)}")
        category = _require(path, entry, "category", where)
        if category not in CATEGORIES:
            raise ConfigError(f"{path}: {where} has category '{category}', expected one of {', '.join(CATEGORIES)}")
        table = _require(path, entry, "table", where)
        if table not in TABLES:
            raise ConfigError(f"{path}: {where} has table '{table}', expected one of {', '.join(TABLES)}")
        message = _mapping(path, _require(path, entry, "message", where), f"{where} message")
        for lang in ("zh", "en"):
            _require(path, message, lang, f"{where} message")
        tried = _mapping(path, entry.get("tried") or {}, f"{where} tried")
        if tried and not all(isinstance(tried.get(lang), str) for lang in ("zh", "en")):
            raise ConfigError(f"{path}: {where} tried needs zh and en templates that each hold {{tried}}")
        docs = _mapping(path, _require(path, entry, "docs", where), f"{where} docs")
        for key in ("what", "why", "fail", "pass"):
            _require(path, docs, key, f"{where} docs")
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"{path}: {where} has enabled '{enabled}', expected true or false")
        zh = _mapping(path, entry.get("zh") or {}, f"{where} zh")
        unknown = sorted(set(zh) - set(_ZH_KEYS))
        if unknown or not all(isinstance(v, str) for v in zh.values()):
            raise ConfigError(f"{path}: {where} zh holds texts for {', '.join(_ZH_KEYS)} only"
                              + (f", not {', '.join(map(str, unknown))}" if unknown else ""))
        sides, difference = _sides(path, entry, where, table)
        rule = Rule(
            code=str(code), name=str(_require(path, entry, "name", where)), category=category,
            severity=severity, table=table, summary=str(_require(path, entry, "summary", where)),
            message={k: str(v) for k, v in message.items()},
            expected=str(_require(path, entry, "expected", where)), observed=str(_require(path, entry, "observed", where)),
            docs={k: str(v) for k, v in docs.items()}, tried={k: str(v) for k, v in tried.items()},
            enabled=enabled, zh={k: v.strip() for k, v in zh.items()}, sides=sides, difference=difference,
        )
        for place, template in rule_templates(rule):  # the columns they name are checked with the frames
            fields_named = template_fields(path, template, f"{where} {place}")
            if place.startswith("tried") and "tried" not in fields_named:
                raise ConfigError(f"{path}: {where} {place} needs the field {{tried}}")
        rules[rule.code] = rule
    if not rules:
        raise ConfigError(f"{path}: no rules declared")
    return rules


_ZH_KEYS = ("title", "summary", "what", "why")
SIDES = ("stated", "computed", "required")  # the workbook's 报告所述, 计算值, 要求
_DEFAULT_RELATION_SIDES = {"stated": "{stated_expr}", "computed": "{computed_expr} = {computed_value}"}


def _sides(path: Path, entry: dict, where: str, table: str) -> tuple[dict[str, dict[str, str]], bool]:
    """side -> lang -> template. A rule on relations states its figure and computes another by
    default (a side declared "" has none); any other rule names its sides. `difference: false`:
    the two figures are not of one measure (a rate against the base it needs), so their
    difference is not shown."""
    declared = dict(_mapping(path, entry.get("sides") or {}, f"{where} sides"))
    difference = declared.pop("difference", True)
    if not isinstance(difference, bool):
        raise ConfigError(f"{path}: {where} sides has difference '{difference}', expected true or false")
    if table == "relations":
        declared = {**_DEFAULT_RELATION_SIDES, **declared}
    sides = {}
    for side, template in declared.items():
        if side not in SIDES:
            raise ConfigError(f"{path}: {where} sides has '{side}', expected some of {', '.join(SIDES)}, "
                              "or difference")
        if isinstance(template, str):
            template = {"zh": template, "en": template}
        template = _mapping(path, template, f"{where} sides {side}")
        if not all(isinstance(template.get(lang), str) for lang in ("zh", "en")):
            raise ConfigError(f"{path}: {where} sides {side} needs one template, or a zh and an en one")
        if template["zh"] or template["en"]:
            sides[side] = {lang: template[lang] for lang in ("zh", "en")}
    return sides, difference


# --- thresholds ---------------------------------------------------------------------------

def _load_thresholds(path: Path) -> Thresholds:
    data = _mapping(path, _read_yaml(path), "the file")
    scope = data.get("relation_scope", "sentence")
    if scope not in ("sentence", "paragraph"):
        raise ConfigError(f"{path}: relation_scope must be 'sentence' or 'paragraph', not '{scope}'")
    tolerance = data.get("approximate_tolerance", 0.05)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0 <= tolerance < 1:
        raise ConfigError(f"{path}: approximate_tolerance must be a number in [0, 1)")
    ranges = []
    for i, entry in enumerate(data.get("plausible_ranges") or [], start=1):
        where = f"plausible_ranges entry {i}"
        entry = _mapping(path, entry, where)
        low, high = _require(path, entry, "min", where), _require(path, entry, "max", where)
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high)) or low > high:
            raise ConfigError(f"{path}: {where} needs numbers with min <= max")
        ranges.append(PlausibleRange(family=str(_require(path, entry, "family", where)),
                                     metric=str(_require(path, entry, "metric", where)),
                                     min=float(low), max=float(high)))
    min_reports = data.get("outlier_min_reports", 5)
    if isinstance(min_reports, bool) or not isinstance(min_reports, int) or min_reports < 3:
        raise ConfigError(f"{path}: outlier_min_reports must be a whole number of at least 3")
    parameters = _mapping(path, data.get("suite_parameters") or {}, "suite_parameters")
    check_suite_parameters(path, parameters)
    return Thresholds(
        reading_budget_seconds=_reading_budget(path, data.get("reading")),
        line_wrap=_line_wrap(path, data.get("line_wrap")),
        outlier_min_reports=min_reports,
        allow_truncation=check_boolean(path, data.get("allow_truncation", True), "allow_truncation"),
        approximate_tolerance=float(tolerance),
        relation_scope=scope,
        suite_parameters=parameters,
        plausible_ranges=tuple(ranges),
        publication_deadlines=_load_deadlines(path, data.get("publication_deadlines") or {}),
        across_years=_across_years(path, data.get("across_years")),
        unknown_issuer_note={str(k): str(v) for k, v in
                             _mapping(path, data.get("unknown_issuer_note") or {}, "unknown_issuer_note").items()},
    )


def _reading_budget(path: Path, value: Any) -> float:
    """reading.budget_seconds: a positive number of seconds (60 when not given)."""
    reading = _mapping(path, value or {}, "reading")
    seconds = reading.get("budget_seconds", 60)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds < float("inf"):
        raise ConfigError(f"{path}: reading.budget_seconds must be a positive number of seconds")
    return float(seconds)


def _across_years(path: Path, value: Any) -> AcrossYears:
    entry = _mapping(path, value or {}, "across_years")
    jumps = []
    for i, item in enumerate(entry.get("jumps") or [{"metric": "*"}], start=1):
        where = f"across_years.jumps entry {i}"
        item = _mapping(path, item, where)
        unknown = set(item) - {"metric", "family", "factor", "min_level"}
        if unknown:
            raise ConfigError(f"{path}: {where} has unknown key(s): {', '.join(sorted(unknown))}")
        factor, level = item.get("factor", 10), item.get("min_level", 50)
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (factor, level)) \
                or factor <= 1 or level < 0:
            raise ConfigError(f"{path}: {where} needs a factor above 1 and a min_level of at least 0")
        jumps.append(YearJump(str(_require(path, item, "metric", where)), str(item.get("family", "*")),
                              float(factor), float(level)))
    if not any(j.metric == "*" and j.family == "*" for j in jumps):
        raise ConfigError(f"{path}: across_years.jumps needs a default entry (metric: '*')")
    lapses = entry.get("stock_lapses", True)
    if not isinstance(lapses, bool):
        raise ConfigError(f"{path}: across_years.stock_lapses must be true or false")
    return AcrossYears(jumps=tuple(jumps), stock_lapses=lapses)


def _load_deadlines(path: Path, data: Any) -> tuple[PublicationDeadline, ...]:
    deadlines = []
    for kind, entries in _mapping(path, data, "publication_deadlines").items():
        if kind not in REPORT_KINDS:
            raise ConfigError(f"{path}: publication_deadlines names report kind '{kind}', expected one of "
                              f"{', '.join(REPORT_KINDS)}")
        if not isinstance(entries, list):
            raise ConfigError(f"{path}: publication_deadlines.{kind} must be a list")
        for i, entry in enumerate(entries, start=1):
            where = f"publication_deadlines.{kind} entry {i}"
            entry = _mapping(path, entry, where)
            month, day = _require(path, entry, "month", where), _require(path, entry, "day", where)
            first, last = entry.get("from"), entry.get("to")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (month, day)):
                raise ConfigError(f"{path}: {where} needs a whole month and day")
            try:
                date(2001, month, day)  # a year without 29 February: the deadline must exist every year
            except ValueError:
                raise ConfigError(f"{path}: {where} has no such day: month {month}, day {day}") from None
            if any(v is not None and (isinstance(v, bool) or not isinstance(v, int)) for v in (first, last)) \
                    or (first is not None and last is not None and first > last):
                raise ConfigError(f"{path}: {where} needs whole years with from <= to")
            issuer = entry.get("issuer", "any")
            if issuer not in ISSUERS:
                raise ConfigError(f"{path}: {where} has issuer '{issuer}', expected one of {', '.join(ISSUERS)}")
            basis = _mapping(path, _require(path, entry, "basis", where), f"{where} basis")
            for lang in ("zh", "en"):
                _require(path, basis, lang, f"{where} basis")
            deadlines.append(PublicationDeadline(kind=kind, month=month, day=day,
                                                 basis={k: str(v) for k, v in basis.items()},
                                                 first_year=first, last_year=last, issuer=issuer))
    return tuple(deadlines)


def _line_wrap(path: Path, value: Any) -> LineWrap:
    entry = _mapping(path, value or {}, "line_wrap")
    known = {f.name: f.type for f in fields(LineWrap)}
    unknown = set(entry) - set(known)
    if unknown:
        raise ConfigError(f"{path}: unknown line_wrap key(s): {', '.join(sorted(unknown))}")
    for key, number in entry.items():
        whole = known[key] == "int"
        if isinstance(number, bool) or not isinstance(number, int if whole else (int, float)) or number < 0:
            raise ConfigError(f"{path}: line_wrap.{key} must be a {'whole ' if whole else ''}number of at least 0")
    if not entry.get("min_share", 0) <= 1:
        raise ConfigError(f"{path}: line_wrap.min_share must be at most 1")
    return LineWrap(**entry)


# --- vocabulary ---------------------------------------------------------------------------

def _load_vocabulary(path: Path) -> Vocabulary:
    data = _mapping(path, _read_yaml(path), "the file")
    units = _mapping(path, _require(path, data, "units", "the file"), "units")
    money = _mapping(path, _require(path, units, "money", "units"), "units.money")
    if not all(isinstance(v, int) and v > 0 for v in money.values()):
        raise ConfigError(f"{path}: units.money must map each unit to a positive whole number of yuan")
    qualifiers = _mapping(path, data.get("qualifiers") or {}, "qualifiers")
    unknown = set(qualifiers) - set(QUALIFIER_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown qualifier group(s): {', '.join(sorted(unknown))}")
    families, weak_family_words, family_names = {}, {}, {}
    for name, entry in _mapping(path, _require(path, data, "families", "the file"), "families").items():
        entry = _mapping(path, entry, f"families.{name}")
        families[str(name)] = _strings(path, entry.get("words"), f"families.{name}.words")
        weak_family_words[str(name)] = tuple(str(w) for w in entry.get("weak_words") or ())
        family_names[str(name)] = {lang: str(entry.get(lang) or name) for lang in ("zh", "en")}
    metrics = {}
    for name, entry in _mapping(path, _require(path, data, "metrics", "the file"), "metrics").items():
        entry = _mapping(path, entry, f"metrics.{name}")
        unit = _require(path, entry, "unit", f"metrics.{name}")
        if unit not in UNIT_KINDS:
            raise ConfigError(f"{path}: metrics.{name} has unit '{unit}', expected one of {', '.join(UNIT_KINDS)}")
        metrics[str(name)] = Metric(str(name), unit, _strings(path, entry.get("words"), f"metrics.{name}.words"))

    def metric_ref(name: Any, where: str, unit: str | None = None) -> str:
        if name not in metrics:
            raise ConfigError(f"{path}: {where} names unknown metric '{name}'")
        if unit and metrics[name].unit != unit:
            raise ConfigError(f"{path}: {where} needs a {unit} metric, '{name}' is {metrics[name].unit}")
        return str(name)

    sums = []
    for i, entry in enumerate(data.get("sums") or [], start=1):
        where = f"sums entry {i}"
        entry = _mapping(path, entry, where)
        whole = metric_ref(_require(path, entry, "whole", where), where)
        unit = metrics[whole].unit
        exhaustive = entry.get("exhaustive", True)
        if not isinstance(exhaustive, bool):
            raise ConfigError(f"{path}: {where} has exhaustive '{exhaustive}', expected true or false")
        sums.append(SumTemplate(
            name=str(entry.get("name") or whole),
            whole=whole,
            parts=tuple(metric_ref(p, where, unit) for p in _strings(path, entry.get("parts"), f"{where} parts")),
            whole_extra=tuple(metric_ref(p, where, unit) for p in entry.get("whole_extra") or ()),
            optional_parts=tuple(metric_ref(p, where, unit) for p in entry.get("optional_parts") or ()),
            exhaustive=exhaustive,
        ))
    bounds = []
    for i, entry in enumerate(data.get("bounds") or [], start=1):
        where = f"bounds entry {i}"
        entry = _mapping(path, entry, where)
        part = metric_ref(_require(path, entry, "part", where), where)
        wholes = tuple(metric_ref(w, where, metrics[part].unit) for w in _strings(path, entry.get("whole"), f"{where} whole"))
        extra = tuple(metric_ref(w, where, metrics[part].unit) for w in entry.get("whole_extra") or ())
        bounds.append(BoundTemplate(part, wholes, extra))
    rates = []
    for i, entry in enumerate(data.get("rates") or [], start=1):
        where = f"rates entry {i}"
        entry = _mapping(path, entry, where)
        rates.append(RateTemplate(
            rate=metric_ref(_require(path, entry, "rate", where), where, "percent"),
            numerators=tuple(metric_ref(n, where, "count")
                             for n in _strings(path, _require(path, entry, "numerator", where), f"{where} numerator")),
            denominators=tuple(metric_ref(d, where, "count") for d in _strings(path, entry.get("denominator"), f"{where} denominator")),
            denominator_extra=tuple(metric_ref(d, where, "count") for d in entry.get("denominator_extra") or ()),
            settled_at_once=_strings(path, entry["settled_at_once"], f"{where} settled_at_once")
            if "settled_at_once" in entry else (),
        ))
    return Vocabulary(
        count_units=_strings(path, units.get("count"), "units.count"),
        money_units={str(k): int(v) for k, v in money.items()},
        percent_units=_strings(path, units.get("percent"), "units.percent"),
        measure_units=_strings(path, units.get("measure") or ["_"], "units.measure"),
        qualifiers={key: tuple(str(w) for w in qualifiers.get(key) or ()) for key in QUALIFIER_KEYS},
        change_markers=tuple(str(w) for w in data.get("change_markers") or ()),
        comparison_words=tuple(str(w) for w in data.get("comparison_words") or ()),
        proportion_words=tuple(str(w) for w in data.get("proportion_words") or ()),
        plan_words=tuple(str(w) for w in data.get("plan_words") or ()),
        not_plan_words=tuple(str(w) for w in data.get("not_plan_words") or ()),
        average_words=tuple(str(w) for w in data.get("average_words") or ()),
        families=families,
        weak_family_words=weak_family_words,
        not_topic_words=tuple(str(w) for w in data.get("not_topic_words") or ()),
        family_names=family_names,
        metrics=metrics,
        sums=tuple(sums),
        bounds=tuple(bounds),
        rates=tuple(rates),
        included_words=tuple(str(w) for w in data.get("included_words") or ()),
        unit_dimensions=_unit_dimensions(path, data.get("unit_dimensions") or {}),
        **_traditional_script(path, data.get("traditional_script") or {}),
        numeral_words=_numeral_words(path, data.get("numeral_words")),
        session_ordinals=_session_ordinals(path, data.get("session_ordinals")),
    )


def _traditional_script(path: Path, data: Any) -> dict[str, Any]:
    entry = _mapping(path, data, "traditional_script")
    markers, count = entry.get("markers", ""), entry.get("min_count", 8)
    if not isinstance(markers, str):
        raise ConfigError(f"{path}: traditional_script.markers must be a string of characters")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ConfigError(f"{path}: traditional_script.min_count must be a whole number of at least 1")
    return {"traditional_markers": markers, "traditional_min_count": count}


def _unit_dimensions(path: Path, data: Any) -> dict[str, str]:
    """unit -> dimension, from dimension -> [units]; a unit stands in one dimension only."""
    dimensions: dict[str, str] = {}
    for name, units in _mapping(path, data, "unit_dimensions").items():
        for unit in _strings(path, units, f"unit_dimensions.{name}"):
            if unit in dimensions:
                raise ConfigError(f"{path}: unit '{unit}' stands in two unit_dimensions ({dimensions[unit]}, {name})")
            dimensions[unit] = str(name)
    return dimensions


# --- sentence shapes ----------------------------------------------------------------------

def _load_shapes(path: Path) -> Shapes:
    data = _mapping(path, _read_yaml(path), "the file")

    def section(name: str, kind: type, numbers: tuple[str, ...] = ()):
        entry = _mapping(path, _require(path, data, name, "the file"), name)
        values = {}
        for key in kind.__dataclass_fields__:
            where = f"{name}.{key}"
            if key in numbers:
                value = _require(path, entry, key, name)
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
                    raise ConfigError(f"{path}: {where} must be a number in [0, 1)")
                values[key] = float(value)
            else:
                values[key] = _strings(path, entry.get(key), where)
        unknown = set(entry) - set(values)
        if unknown:
            raise ConfigError(f"{path}: {name} has unknown key(s): {', '.join(sorted(map(str, unknown)))}")
        return kind(**values)

    return Shapes(
        lists=section("lists", ListShapes, numbers=("near_complete_shortfall",)),
        rest=section("rest", RestShapes),
        shares=section("shares", ShareShapes),
        changes=section("changes", ChangeShapes),
        restatements=section("restatements", RestatementShapes),
    )


# --- the words that mark the parts of a report's text --------------------------------------

ISSUER_CLASSES = ("government", "department", "unknown")


def _load_report_text(path: Path) -> ReportText:
    data = _mapping(path, _read_yaml(path), "the file")
    chrome = _mapping(path, _require(path, data, "page_chrome", "the file"), "page_chrome")
    endings = _mapping(path, _require(path, data, "endings", "the file"), "endings")
    issuers = _mapping(path, _require(path, data, "issuers", "the file"), "issuers")
    line_max = chrome.get("max_line_chars", 120)
    if isinstance(line_max, bool) or not isinstance(line_max, int) or line_max < 1:
        raise ConfigError(f"{path}: page_chrome.max_line_chars must be a positive whole number")
    separators = chrome.get("separator_chars", "")
    if not isinstance(separators, str) or not separators:
        raise ConfigError(f"{path}: page_chrome.separator_chars must be a string of characters")
    unknown = set(issuers) - set(ISSUER_CLASSES)
    if unknown:
        raise ConfigError(f"{path}: unknown issuer class(es): {', '.join(sorted(unknown))}; "
                          f"expected {', '.join(ISSUER_CLASSES)}")
    return ReportText(
        chrome_line_max=line_max,
        chrome_markers=_strings(path, chrome.get("markers"), "page_chrome.markers"),
        chrome_line_starts=_strings(path, chrome.get("line_starts"), "page_chrome.line_starts"),
        chrome_line_ends=tuple(str(w) for w in chrome.get("line_ends") or ()),
        chrome_whole_lines=tuple(str(w) for w in chrome.get("whole_lines") or ()),
        attachment_extensions=_strings(path, chrome.get("attachment_extensions"), "page_chrome.attachment_extensions"),
        separator_chars=separators,
        closing_words=_strings(path, endings.get("closing_words"), "endings.closing_words"),
        nothing_words=_strings(path, endings.get("nothing_words"), "endings.nothing_words"),
        table_units=_strings(path, endings.get("table_units"), "endings.table_units"),
        issuer_endings={name: _strings(path, issuers.get(name), f"issuers.{name}") for name in ISSUER_CLASSES},
    )


def _load_issuers(path: Path) -> IssuerVocabulary:
    data = _mapping(path, _read_yaml(path), "the file")
    unknown = set(data) - {"admin_units", "government_suffixes", "abbreviations", "title_openers", "publisher_labels"}
    if unknown:
        raise ConfigError(f"{path}: unknown key(s): {', '.join(sorted(unknown))}")
    abbreviations = _mapping(path, data.get("abbreviations") or {}, "abbreviations")
    pairs = []
    for short, full in abbreviations.items():
        if not isinstance(full, str) or not str(short) or not full or str(short) == full:
            raise ConfigError(f"{path}: abbreviations.{short} must name a full form other than itself")
        pairs.append((str(short), full))
    return IssuerVocabulary(
        admin_units=_strings(path, data.get("admin_units"), "admin_units"),
        government_suffixes=_strings(path, data.get("government_suffixes"), "government_suffixes"),
        abbreviations=tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True)),
        title_openers=_strings(path, data.get("title_openers"), "title_openers"),
        publisher_labels=_strings(path, data.get("publisher_labels"), "publisher_labels"),
    )


def _words(path: Path, entry: dict, key: str, what: str) -> tuple[str, ...]:
    """An optional list of words; when given, non-empty and of words only."""
    value = entry.get(key)
    return () if value is None else _strings(path, value, f"{what}.{key}")


def _numeral_words(path: Path, value: Any) -> NumeralWords:
    entry = _mapping(path, value or {}, "numeral_words")
    unknown = set(entry) - {f.name for f in fields(NumeralWords)}
    if unknown:
        raise ConfigError(f"{path}: unknown numeral_words key(s): {', '.join(sorted(unknown))}")
    return NumeralWords(**{key: _words(path, entry, key, "numeral_words") for key in entry})


def _session_ordinals(path: Path, value: Any) -> SessionOrdinals:
    entry = _mapping(path, value or {}, "session_ordinals")
    unknown = set(entry) - {f.name for f in fields(SessionOrdinals)}
    if unknown:
        raise ConfigError(f"{path}: unknown session_ordinals key(s): {', '.join(sorted(unknown))}")
    return SessionOrdinals(**{key: _words(path, entry, key, "session_ordinals") for key in entry})


# --- the information-disclosure template ---------------------------------------------------

TEMPLATE_ROWS = ("new", "carried_in", "total", "carried_out")


def _load_template(path: Path) -> DisclosureTemplate:
    data = _mapping(path, _read_yaml(path), "the file")
    applications = _mapping(path, _require(path, data, "applications", "the file"), "applications")
    appeals = _mapping(path, _require(path, data, "appeals", "the file"), "appeals")
    rows_entry = _mapping(path, _require(path, applications, "rows", "applications"), "applications.rows")
    missing = [key for key in TEMPLATE_ROWS if key not in rows_entry]
    if missing:
        raise ConfigError(f"{path}: applications.rows lacks {', '.join(missing)}")
    rows = {}
    for key in TEMPLATE_ROWS:
        entry = _mapping(path, rows_entry[key], f"applications.rows.{key}")
        rows[key] = Named(key, str(_require(path, entry, "zh", f"applications.rows.{key}")), str(entry.get("en") or key),
                          _strings(path, entry.get("words"), f"applications.rows.{key}.words"))
    columns = _named_list(path, _require(path, applications, "columns", "applications"), "applications.columns",
                          keyed=True)
    block_columns = _named_list(path, _require(path, appeals, "block_columns", "appeals"), "appeals.block_columns")
    if len(columns) < 2 or len(block_columns) < 2:
        raise ConfigError(f"{path}: a table needs at least one column and its total")
    statistics = data.get("statistics")
    text = data.get("text")
    return DisclosureTemplate(
        columns=columns, rows=rows,
        appeal_start_words=_strings(path, appeals.get("start_words"), "appeals.start_words"),
        appeal_header_words=_strings(path, appeals.get("header_words"), "appeals.header_words"),
        block_columns=block_columns,
        blocks=_named_list(path, _require(path, appeals, "blocks", "appeals"), "appeals.blocks"),
        statistics=_load_statistics(path, statistics) if statistics is not None else None,
        text=_load_text_checks(path, text) if text is not None else None,
        regulations=_load_regulations(path, data["regulations"]) if data.get("regulations") is not None else None,
    )


REGULATION_COLUMNS = ("issued", "repealed", "in_force")


def _load_regulations(path: Path, value: Any) -> RegulationsTemplate:
    entry = _mapping(path, value, "regulations")
    columns = _named_list(path, _require(path, entry, "columns", "regulations"), "regulations.columns", keyed=True)
    if tuple(c.key for c in columns) != REGULATION_COLUMNS:
        raise ConfigError(f"{path}: regulations.columns must be {', '.join(REGULATION_COLUMNS)}, in that order")
    rows = _worded_list(path, _require(path, entry, "rows", "regulations"), "regulations.rows")
    return RegulationsTemplate(start_words=_strings(path, entry.get("start_words"), "regulations.start_words"),
                               columns=columns, rows=rows)


# what a prose figure may be checked against (disclosure_template.yaml text.checks[].targets)
TEXT_TARGETS = ("applications.new", "applications.new+carried_in", "applications.total",
                "appeals.reconsideration", "statistics.published", "statistics.requests",
                "statistics.reconsideration", "statistics.litigation")


def _load_statistics(path: Path, value: Any) -> StatisticsTemplate:
    entry = _mapping(path, value, "statistics")
    rows = _worded_list(path, _require(path, entry, "rows", "statistics"), "statistics.rows")
    keys = {row.key for row in rows}
    identities = []
    for i, item in enumerate(entry.get("identities") or (), start=1):
        where = f"statistics.identities entry {i}"
        item = _mapping(path, item, where)
        identity = StatisticsIdentity(
            whole=str(_require(path, item, "whole", where)),
            parts=_strings(path, _require(path, item, "parts", where), f"{where} parts"),
            complete_with=tuple(str(w) for w in item.get("complete_with") or ()),
            overlap_words=tuple(str(w) for w in item.get("overlap_words") or ()))
        unknown = sorted({identity.whole, *identity.parts, *identity.complete_with} - keys)
        if unknown:
            raise ConfigError(f"{path}: {where} names unknown row(s) {', '.join(unknown)}")
        identities.append(identity)
    return StatisticsTemplate(
        start_words=_strings(path, entry.get("start_words"), "statistics.start_words"),
        units=_strings(path, entry.get("units"), "statistics.units"),
        columns=_worded_list(path, _require(path, entry, "columns", "statistics"), "statistics.columns"),
        rows=rows, identities=tuple(identities))


def _load_text_checks(path: Path, value: Any) -> TextTemplate:
    entry = _mapping(path, value, "text")
    checks = []
    for i, item in enumerate(_require(path, entry, "checks", "text"), start=1):
        where = f"text.checks entry {i}"
        item = _mapping(path, item, where)
        check = TextCheck(
            key=str(_require(path, item, "key", where)), zh=str(_require(path, item, "zh", where)),
            words=_strings(path, item.get("words"), f"{where} words"),
            units=_strings(path, item.get("units"), f"{where} units"),
            targets=_strings(path, item.get("targets"), f"{where} targets"),
            verbs=tuple(str(w) for w in item.get("verbs") or ()))
        unknown = sorted(set(check.targets) - set(TEXT_TARGETS))
        if unknown:
            raise ConfigError(f"{path}: {where} names unknown target(s) {', '.join(unknown)}")
        checks.append(check)
    gap = entry.get("max_gap", 4)
    if not isinstance(gap, int) or gap < 0:
        raise ConfigError(f"{path}: text.max_gap must be a whole number of characters")
    return TextTemplate(whole_words=_strings(path, entry.get("whole_words"), "text.whole_words"),
                        subset_words=_strings(path, entry.get("subset_words"), "text.subset_words"),
                        max_gap=gap, checks=tuple(checks))


def _worded_list(path: Path, value: Any, what: str) -> tuple[Named, ...]:
    """Entries with a key, names and the words that name them in a report."""
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{path}: {what} must be a non-empty list")
    named = []
    for i, entry in enumerate(value, start=1):
        entry = _mapping(path, entry, f"{what} entry {i}")
        zh = str(_require(path, entry, "zh", f"{what} entry {i}"))
        named.append(Named(str(_require(path, entry, "key", f"{what} entry {i}")), zh, str(entry.get("en") or zh),
                           _strings(path, entry.get("words"), f"{what} entry {i} words")))
    return tuple(named)


def _named_list(path: Path, value: Any, what: str, keyed: bool = False) -> tuple[Named, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{path}: {what} must be a non-empty list")
    named = []
    for i, entry in enumerate(value, start=1):
        entry = _mapping(path, entry, f"{what} entry {i}")
        zh = str(_require(path, entry, "zh", f"{what} entry {i}"))
        key = str(_require(path, entry, "key", f"{what} entry {i}")) if keyed else zh
        named.append(Named(key, zh, str(entry.get("en") or zh)))
    return tuple(named)


def _check_ranges(path: Path, thresholds: Thresholds, vocabulary: Vocabulary) -> None:
    for r in thresholds.plausible_ranges:
        if r.family != "*" and r.family not in vocabulary.families:
            raise ConfigError(f"{path}: plausible range names unknown family '{r.family}'")
        if vocabulary.metrics.get(r.metric) is None or vocabulary.metrics[r.metric].unit != "percent":
            raise ConfigError(f"{path}: plausible range names '{r.metric}', which is not a percent metric of vocabulary.yaml")


# --- suites -------------------------------------------------------------------------------

def _load_suite(path: Path, table: str, rules: dict[str, Rule], thresholds: Thresholds) -> dict[str, Any]:
    try:
        suite = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant, parse_int=_short_int)
    except ValueError as err:  # NaN, Infinity, an integer of thousands of digits, bytes that are not UTF-8
        if isinstance(err, json.JSONDecodeError):
            raise ConfigError(f"{path}: not valid JSON at line {err.lineno}: {err.msg}") from err
        raise ConfigError(f"{path}: {err}") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror or err})") from err
    except RecursionError:
        raise ConfigError(f"{path}: nested too deep to be a suite") from None
    suite = _mapping(path, suite, "the suite")
    expectations = suite.get("expectations")
    if not isinstance(expectations, list):
        raise ConfigError(f"{path}: the suite needs a list of expectations")
    for i, exp in enumerate(expectations, start=1):
        where = f"expectation {i}"
        exp = _mapping(path, exp, where)
        _require(path, exp, "type", where)
        _mapping(path, exp.get("kwargs"), f"{where} kwargs")
        code = _mapping(path, exp.get("meta"), f"{where} meta").get("rule")
        if code not in rules:
            raise ConfigError(f"{path}: {where} names rule '{code}', which rules.yaml does not declare")
        if rules[code].table != table:
            raise ConfigError(f"{path}: {where} runs rule {code} on '{table}', but rules.yaml puts it on '{rules[code].table}'")
        _check_kwargs(path, where, exp, thresholds)
        evidence = exp["meta"].get("evidence")
        if evidence is not None and (not isinstance(evidence, list)
                                     or not all(isinstance(e, str) and e.endswith("_evidence") for e in evidence)):
            raise ConfigError(f"{path}: {where} meta.evidence must be a list of column names ending in '_evidence'")
    return suite


def _no_constant(name: str):
    raise ValueError(f"holds {name}; a number here must be finite")


def _short_int(digits: str) -> int:
    if len(digits) > 40:
        raise ValueError(f"holds a whole number of {len(digits):,} digits; a setting has a few")
    return int(digits)


# The bounds of an expectation type: at least one must be given, or it checks nothing.
_BOUNDS = {"expect_column_values_to_be_between": ("min_value", "max_value"),
           "expect_column_value_lengths_to_be_between": ("min_value", "max_value")}


def _check_kwargs(path: Path, where: str, expectation: dict, thresholds: Thresholds) -> None:
    """Refuse what would switch the expectation off unseen: a $PARAMETER that thresholds.yaml does
    not set, no bound at all on a between, a pattern that backtracks without end."""
    kwargs = expectation["kwargs"]
    where = f"{where} ({expectation['meta'].get('rule')})"
    for name in sorted(suite_parameter_names(kwargs)):
        if name not in thresholds.suite_parameters:
            raise ConfigError(f"{path}: {where} uses $PARAMETER '{name}', which thresholds.yaml suite_parameters "
                              "does not set")
    bounds = _BOUNDS.get(expectation["type"])
    if bounds and all(kwargs.get(key) is None for key in bounds):
        raise ConfigError(f"{path}: {where} sets neither {' nor '.join(bounds)}: it would check nothing")
    check_patterns(path, kwargs, f"{where} kwargs")


def _check_every_rule_has_an_expectation(root: Path, rules: dict[str, Rule], suites: dict[str, dict]) -> None:
    used = {exp["meta"]["rule"] for suite in suites.values() for exp in suite["expectations"]}
    missing = sorted(set(rules) - used)
    if missing:
        raise ConfigError(f"{root / 'suites'}: no expectation runs rule(s) {', '.join(missing)}")
