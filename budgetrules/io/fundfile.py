"""Reading fund files (the *.yaml of a COG folder but cog.yaml): every problem of a file collected
with its line and the nearest valid key, amounts converted exactly from the unit of publication,
rule IDs and index kinds checked against the COG's catalogue (`cog.yaml`). The rule parameters are
read by `fundrules.PolicyReader`.

Every parameter has its range, checked here, so by `funds check` and by every command that loads
the file alike (a value outside is an input error naming the line and the range):

- `period`: years from FIRST_YEAR to LAST_YEAR, at most MAX_PERIOD years;
- `reference_year`: one of the YEARS_AROUND years before the period;
- `index.base_year`: from YEARS_AROUND years before the period to the year before its last;
  `index.first_year`: a year of the period after `base_year`;
- `reserve_fund.opening_year`: from YEARS_AROUND years before the period to its first year (a later
  opening would leave the expenses of the first years out of the reserve's statement);
- days (`fungibility.notice_days`, `votes.executory_days`): 1 to 366; `real_estate.rent_years`: 1 to
  50; `lag_years` (receipts, real estate): 0 to 10; vote year offsets: -2 to 2;
- `votes.primitif_latest`/`rectificatif_before`: a month-day of every year ("01-01" to "12-31",
  not "02-29");
- rates: within ±100 % (`money.MAX_RATE`); a reuse share, a category share or a carry cap from 0 % to
  100 %; amounts: below 10^15 € (`money.MAX_AMOUNT`);
- `order`: 0 to 1000; `noncash.counterpart_classes`: account classes 1 to 9."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any


from ..core.errors import InputErrors, Problem, excerpt, unknown_message
from ..core.money import ValueProblem, parse_amount, parse_rate
from ..model.catalog import ROLES
from ..model.cog import Cog
from ..model.fund import CHARACTERS, Fund
from .fundrules import YEARS_AROUND, PolicyReader
from .fundtables import TableReader
from .yaml import BadNumber, Collector, display_path, kind_of, line_of, load_yaml

UNITS = {"€": ("EUR", Decimal(1), 0), "k€": ("KEUR", Decimal(1000), 0), "M€": ("MEUR", Decimal(1_000_000), 2)}
"""Unit of publication -> (code, euros per unit, decimals printed by default)."""
_BAD = object()  # a value given but refused (reported), as opposed to one not given

TOP_KEYS = ("code", "label", "order", "unit", "published_decimals", "period", "reference_year", "programmed",
            "source", "citations", "defaults", "lines", "extra_totals", "fungibility", "receipts", "noncash",
            "real_estate", "reserve", "reserve_fund", "votes", "carry_over", "participation", "bilan", "errata")

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years a period may cover
MAX_PERIOD = 20  # years in a period


def _key(value: Any) -> Any:
    """A user value about to be looked up in a set of codes: a list or mapping (unhashable) becomes
    its text, which is then simply unknown (and reported with the nearest valid word)."""
    return value if isinstance(value, (str, int, float, Decimal, bool)) or value is None else repr(value)


class _Reader(TableReader, PolicyReader):
    """Turns the parsed YAML of one fund file into a Fund of a COG, collecting every problem."""

    def __init__(self, data: Any, shown: str, cog: Cog):
        self.data = data
        self.c = Collector(shown)
        self.cog = cog
        self.rule_ids = cog.rule_ids
        self.factor = Decimal(1)
        self.decimals = 0
        self.unit = "EUR"
        self.years: list[int] = []
        self.reference_year: int | None = None
        self.reference_refused = False

    # -- small readers -------------------------------------------------------------------
    def entry(self, raw: Any, allowed: tuple[str, ...], required: tuple[str, ...], where: str, line: int) -> bool:
        """check_keys, and True only when `raw` is a mapping that holds every required key
        (the missing ones are reported; the entry is then skipped, never half-read). `line`: where
        `raw` is written (a scalar has no line of its own)."""
        return self.c.check_keys(raw, allowed, required, where, line) and all(k in raw for k in required)

    def integer(self, raw: dict, key: str, default: Any, where: str, low: int | None = None,
                high: int | None = None, meaning: str = "", year: bool = False) -> Any:
        """A whole number (or the default when the key is absent) from `low` to `high`, reported with
        the range when it is not one."""
        if key not in raw:
            return default
        value = raw.get(key)
        line = line_of(raw, key)
        where = f"{where}.{key}" if where else f"'{key}'"
        what = "a year" if year else "a whole number"
        bounds = f" from {low} to {high}" if low is not None and high is not None else ""
        explained = f" ({meaning})" if meaning else ""
        if isinstance(value, BadNumber):
            self.c.add(line, f"{where}: {value.problem}")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.c.add(line, f"{where} must be {what}{bounds}{explained}, got {kind_of(value)}")
            return default
        if bounds and not low <= value <= high:
            self.c.add(line, f"{where} must be {what}{bounds}{explained}, got {excerpt(value)}")
            return default
        return value

    def boolean(self, raw: dict, key: str, default: bool, where: str) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.c.add(line_of(raw, key), f"{where}.{key} must be true or false, got {kind_of(value)}")
            return default
        return value

    def listed(self, raw: dict, key: str, where: str) -> list:
        """The list under `key` (empty when absent or empty), reported when it is something else."""
        value = raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.c.add(line_of(raw, key), f"{where}.{key} must be a list, got {kind_of(value)}")
            return []
        return value

    def mapping(self, raw: Any, key: str, where: str) -> dict:
        """The mapping under `key` (empty when absent), reported when it is something else."""
        value = raw.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.c.add(line_of(raw, key), f"{where}.{key} must be a mapping of keys, got {kind_of(value)}")
            return {}
        return value

    def rule(self, value: Any, line: int) -> str:
        """A rule ID of the COG's catalogue (cog.yaml `rules:`)."""
        if value is not None and _key(value) not in self.rule_ids:  # None: the missing key is reported already
            self.c.add(line, unknown_message("rule ID", value, self.rule_ids) + f" (the rules of {self.cog.file})")
        return str(value)

    def amount(self, value: Any, line: int, key: str, *, scaled: bool = True, negative: bool = False) -> Decimal:
        """An amount in euros (a bare number in the file's unit when `scaled`); a problem names `key`."""
        try:
            return parse_amount(value, unit=self.factor if scaled else None, allow_negative=negative)
        except ValueProblem as exc:
            self.c.add(line, f"{key}: {exc}")
            return Decimal("0.00")

    def rate(self, value: Any, line: int, key: str, share: bool = False) -> Decimal:
        """A rate within ±100 %; `share`: a share of something, from 0 % to 100 %; a problem names `key`."""
        try:
            rate = parse_rate(value)
        except ValueProblem as exc:
            self.c.add(line, f"{key}: {exc}")
            return Decimal(0)
        if share and rate < 0:
            self.c.add(line, f"{key}: '{excerpt(value)}' is negative: a share is from 0 % to 100 %")
            return Decimal(0)
        return rate

    def period_year(self, raw: dict, key: str, default: Any, where: str, low: int, high: int, meaning: str) -> Any:
        """A year relative to the period (skipped, as the default, when the period itself is wrong)."""
        if not self.years:
            value = raw.get(key, default)
            return value if isinstance(value, int) and not isinstance(value, bool) else default
        return self.integer(raw, key, default, where, low, high, meaning, year=True)

    # -- the file --------------------------------------------------------------------------
    def read(self) -> Fund | None:
        d = self.data
        c = self.c
        if not c.check_keys(d, TOP_KEYS, ("code", "label", "unit", "period", "citations", "lines", "votes"), "the fund file",
                            getattr(d, "line", 0) or 1):
            return None
        code = d.get("code")
        if isinstance(code, (bool, BadNumber)) or not isinstance(code, (str, int)) or not str(code).strip() or len(str(code)) > 40:
            c.add(line_of(d, "code"), f"'code' must be a short word, e.g. BNGA, got {kind_of(code)}")
        unit_sym = d.get("unit")
        if _key(unit_sym) not in UNITS:
            c.add(line_of(d, "unit"), unknown_message("unit", unit_sym, UNITS))
        else:
            self.unit, self.factor, self.decimals = UNITS[unit_sym]
        self.decimals = self.integer(d, "published_decimals", self.decimals, "", 0, 6,
                                     "the decimals the COG prints in this fund's table")
        period = self.read_period(d.get("period"), line_of(d, "period"))
        self.years = list(range(period[0], period[1] + 1)) if period else []
        ref = None
        if period and "reference_year" in d and d["reference_year"] is not None:
            ref = self.integer(d, "reference_year", _BAD, "", period[0] - YEARS_AROUND, period[0] - 1,
                               f"a year printed before the period {period[0]}-{period[1]}, at most {YEARS_AROUND} "
                               "years before it", year=True)
        self.reference_refused = ref is _BAD  # its amounts are then not reported as unknown years
        ref = self.reference_year = None if ref is _BAD else ref
        citations = {}
        if c.check_keys(d.get("citations"), sorted(self.rule_ids), (), "citations", line_of(d, "citations")):
            citations = {str(k): str(v) for k, v in d["citations"].items()}
            for mechanism in ROLES:  # the rules the engine may emit for any fund, unless the COG cites them
                rule = self.cog.role(mechanism)
                if rule not in citations and not self.cited(rule):
                    c.add(line_of(d, "citations"), f"citations: missing '{rule}' (every fund cites the common rules, "
                                                   f"or cog.yaml gives their citation)")
        defaults = self.read_defaults(d.get("defaults", {}), line_of(d, "defaults"))
        programmed = d.get("programmed", True)
        if not isinstance(programmed, bool):
            c.add(line_of(d, "programmed"), f"'programmed' must be true or false, got {programmed!r}")
            programmed = True
        lines = self.read_lines(d.get("lines"), defaults, programmed, line_of(d, "lines"))
        leaves = {ln.code for ln in lines} - {ln.parent for ln in lines}
        groups = self.read_fungibility(d.get("fungibility"), line_of(d, "fungibility"))
        known_groups = {g.name for g in groups.groups} | {x for dd in groups.directions for x in (dd.source, dd.target)}
        for ln in lines:
            if ln.group is not None and _key(ln.group) not in known_groups:
                c.add(ln.source_line, f"line {ln.code}: " + unknown_message("group", ln.group, known_groups or ["(none declared)"]))
        extra = self.read_extra(d.get("extra_totals") or [], leaves, line_of(d, "extra_totals"))
        totals = {ln.code: {**ln.published, **({ref: ln.reference} if (ref := self.reference_year) and ln.reference
                                               is not None else {})} for ln in lines if ln.code not in leaves}
        totals.update({x.code: {**x.published, **({self.reference_year: x.reference} if self.reference_year and
                                                   x.reference is not None else {})} for x in extra})
        errata = self.read_errata(d.get("errata"), line_of(d, "errata"), totals)

        def leaf_ref(value: Any, line: int, what: str) -> str | None:
            if value is None:
                return None
            if _key(value) not in leaves:
                c.add(line, f"{what}: " + unknown_message("leaf line", value, leaves))
            return str(value)

        receipts = self.read_receipts(d.get("receipts"), line_of(d, "receipts"), leaf_ref)
        noncash = self.read_noncash(d.get("noncash"), line_of(d, "noncash"))
        real_estate = self.read_real_estate(d.get("real_estate"), line_of(d, "real_estate"), leaf_ref)
        reserve = self.read_reserve(d.get("reserve"), line_of(d, "reserve"), leaf_ref)
        reserve_fund = self.read_reserve_fund(d.get("reserve_fund"), line_of(d, "reserve_fund"))
        by_group: dict[str, list[str]] = {}
        for ln in lines:
            if ln.group is not None and ln.code in leaves:
                by_group.setdefault(ln.group, []).append(ln.code)
        carry_across = self.read_carry_across(d.get("carry_over"), line_of(d, "carry_over"), by_group, leaves)
        sections = [ln.code for ln in lines if ln.parent is None]
        participation = self.read_participation(d.get("participation"), line_of(d, "participation"), sections)
        bilan_lines = self.read_bilan(d.get("bilan"), line_of(d, "bilan"), leaves)
        votes = self.read_votes(d.get("votes"), line_of(d, "votes"))
        for rule in self.rules_used(lines, groups, receipts, noncash, real_estate, reserve, reserve_fund, votes):
            if rule in self.rule_ids and citations and rule not in citations and not self.cited(rule):
                c.add(line_of(d, "citations"), f"citations: rule '{rule}' is used by this fund but not cited")
        order = self.integer(d, "order", 100, "", 0, 1000, "the fund's place in tables")
        label, source = c.text(d, "label"), c.text(d, "source")
        if c.problems:
            return None
        assert period is not None
        return Fund(code=str(d["code"]), label=label, order=order, unit=self.unit,
                    unit_factor=self.factor, published_decimals=self.decimals, first_year=period[0],
                    last_year=period[1], reference_year=ref, programmed=bool(programmed),
                    source=source, citations=citations, lines=tuple(lines),
                    extra_totals=tuple(extra), fungibility=groups, receipts=receipts, noncash=noncash,
                    real_estate=real_estate, reserve=reserve, reserve_fund=reserve_fund, votes=votes,
                    carry_across=carry_across, participation=participation, bilan_lines=bilan_lines, errata=tuple(errata),
                    file=c.file,
                    cog=self.cog)

    def cited(self, rule: str) -> bool:
        """The COG's catalogue gives this rule a citation (a fund file then need not)."""
        entry = self.cog.rules.get(rule)
        return entry is not None and bool(entry.citation)

    def read_period(self, period: Any, line: int) -> tuple[int, int] | None:
        """[first year, last year]: years from FIRST_YEAR to LAST_YEAR, at most MAX_PERIOD of them."""
        example = "'period' must be [first year, last year], e.g. [2022, 2024]"
        if not isinstance(period, list) or len(period) != 2:
            self.c.add(line, f"{example}, got {kind_of(period)}")
            return None
        for year in period:
            if isinstance(year, BadNumber):
                self.c.add(line, f"period: {year.problem}")
                return None
            if isinstance(year, bool) or not isinstance(year, int):
                self.c.add(line, f"{example}, got {kind_of(year)} in it")
                return None
            if not FIRST_YEAR <= year <= LAST_YEAR:
                self.c.add(line, f"period: {excerpt(year)} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
                return None
        first, last = period
        if first > last:
            self.c.add(line, f"period: the first year {first} comes after the last {last}")
            return None
        if last - first + 1 > MAX_PERIOD:
            self.c.add(line, f"period: {first}-{last} is {last - first + 1} years long: a period has at most "
                             f"{MAX_PERIOD} years")
            return None
        return first, last

    @staticmethod
    def rules_used(lines, fung, receipts, noncash, real_estate, reserve, reserve_fund, votes) -> set[str]:
        used = {ln.carry.rule for ln in lines if ln.carry} | {ln.index.rule for ln in lines if ln.index}
        used |= {g.rule for g in fung.groups} | {dd.rule for dd in fung.directions} | {fung.default_rule}
        used.add(receipts.rule)
        for part in (noncash, real_estate, reserve, reserve_fund, votes):
            if part is not None:
                used.add(part.rule)
        return used

    def read_defaults(self, raw: Any, line: int) -> dict[str, dict]:
        result: dict[str, dict] = {}
        if not self.c.check_keys(raw, CHARACTERS, (), "defaults", line):
            return result
        for character, spec in raw.items():
            if _key(character) not in CHARACTERS or not self.c.check_keys(spec, ("carry", "index"), (), f"defaults.{character}",
                                                                         line_of(raw, character)):
                continue
            result[character] = {"carry": self.carry(spec.get("carry"), line_of(spec, "carry")),
                                 "index": self.index(spec.get("index"), line_of(spec, "index"))}
        return result

def cog_of(path: Path) -> Cog:
    """The COG a fund file belongs to: the cog.yaml of its folder, else the current COG."""
    from .cogfile import load_cog_file
    from .paths import cog_folder

    folder = path.parent
    return load_cog_file(folder if (folder / "cog.yaml").is_file() else cog_folder())


def load_fund(path: Path | str, shown: str | None = None, cog: Cog | None = None) -> Fund:
    """Load and validate one fund file of a COG (by default the COG of its folder, else the current
    one); raise InputErrors with every problem of the file."""
    shown = shown or display_path(path)
    data = load_yaml(path, shown)
    reader = _Reader(data, shown, cog or cog_of(Path(path)))
    fund = reader.read()
    reader.c.raise_if_any()
    assert fund is not None
    return fund


def load_funds(paths: list[Path], cog: Cog | None = None) -> dict[str, Fund]:
    """Load several fund files (of one COG); the problems of all of them are reported together."""
    funds: dict[str, Fund] = {}
    problems = []
    cogs: dict[Path, Cog] = {}
    for path in paths:
        try:
            the_cog = cog
            if the_cog is None:
                folder = Path(path).parent
                the_cog = cogs.get(folder) or cogs.setdefault(folder, cog_of(Path(path)))
            fund = load_fund(path, cog=the_cog)
        except InputErrors as exc:
            problems.extend(exc.problems)
            continue
        if fund.code in funds:
            problems.append(Problem(display_path(path), 1, f"fund {fund.code} is defined twice (also in {funds[fund.code].file})"))
        funds[fund.code] = fund
    if problems:
        raise InputErrors(problems)
    return dict(sorted(funds.items(), key=lambda item: (item[1].order, item[0])))
