"""The tables of a fund file: its lines (leaves with their programmed amounts, subtotals with the
figures the COG prints), the extra published totals and the errata of the published tables. A
mixin of the fund reader (`fundfile._Reader`), which holds the collector, the period and the small
readers (`integer`, `amount`, `entry`…)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.errors import unknown_message
from ..model.fund import CHARACTERS, Erratum, ExtraTotal, Line, OfWhich
from .yaml import kind_of, line_of

LINE_KEYS = ("code", "label", "parent", "character", "group", "amounts", "published", "estimated",
             "notes", "of_which", "carry", "index", "nature")
ERRATUM_KEYS = ("line", "year", "printed", "reading")


def _key(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, Decimal, bool)) or value is None else repr(value)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class TableReader:
    """Reads `lines`, `extra_totals` and `errata` (mixed into `fundfile._Reader`)."""

    def year_amounts(self, mapping: Any, where: str, line: int) -> tuple[dict[int, Decimal], Decimal | None]:
        """{year: amount} for the period, plus the reference-year amount if given."""
        amounts: dict[int, Decimal] = {}
        reference = None
        if not isinstance(mapping, dict):
            self.c.add(line, f"'{where}' must map years to amounts, e.g. {{2022: 37.33}}")
            return amounts, reference
        allowed = [str(y) for y in self.years] + ([str(self.reference_year)] if self.reference_year else [])
        for key, value in mapping.items():
            kline = line_of(mapping, key)
            if not self.years or (self.reference_refused and str(key) not in allowed):
                continue  # the period or the reference year is wrong, and reported: its years are unknown
            if str(key) not in allowed:
                self.c.add(kline, unknown_message(f"year in '{where}'", key, allowed))
                continue
            amt = self.amount(value, kline, f"{where}.{key}")
            if int(key) == self.reference_year:
                reference = amt
            else:
                amounts[int(key)] = amt
        return amounts, reference

    def read_lines(self, raw: Any, defaults: dict, programmed: bool, line: int) -> list[Line]:
        c = self.c
        if not isinstance(raw, list) or not raw:
            c.add(line, "'lines' must be a non-empty list of lines")
            return []
        seen: dict[str, int] = {}
        parsed: list[tuple[dict, Line]] = []
        for i, item in enumerate(raw):
            iline = line_of(raw, i)
            if not self.entry(item, LINE_KEYS, ("code", "label"), f"line #{i + 1}", iline):
                continue
            code = str(item["code"])
            if _key(code) in seen:
                c.add(iline, f"duplicate line code '{code}' (first defined at line {seen[code]})")
                continue
            seen[code] = iline
            character = item.get("character")
            if character is not None and _key(character) not in CHARACTERS:
                c.add(line_of(item, "character"), f"line {code}: " + unknown_message("character", character, CHARACTERS))
                character = None
            amounts, reference = ({}, None)
            published: dict[int, Decimal] = {}
            if "amounts" in item:
                amounts, reference = self.year_amounts(item["amounts"], "amounts", line_of(item, "amounts"))
            if "published" in item:
                published, pref = self.year_amounts(item["published"], "published", line_of(item, "published"))
                reference = reference if pref is None else pref
            dflt = defaults.get(character or "", {})
            carry = self.carry(item.get("carry"), line_of(item, "carry")) if "carry" in item else dflt.get("carry")
            index = self.index(item.get("index"), line_of(item, "index")) if "index" in item else dflt.get("index")
            of_which = []
            for j, ow in enumerate(self.listed(item, "of_which", f"line {code}")):
                if self.entry(ow, ("label", "amounts"), ("label", "amounts"), f"of_which of {code}",
                              line_of(item["of_which"], j)):
                    owa, owref = self.year_amounts(ow["amounts"], "of_which", line_of(ow, "amounts"))
                    if owref is not None:
                        owa[self.reference_year] = owref
                    of_which.append(OfWhich(label=c.text(ow, "label", f"of_which of {code}: "), amounts=owa))
            estimated = item.get("estimated", [])
            if not isinstance(estimated, list) or (self.years and any(_key(y) not in self.years for y in estimated)):
                c.add(line_of(item, "estimated"), f"line {code}: 'estimated' must list years of the period")
                estimated = []
            nature = item.get("nature", "operating")
            if nature not in ("operating", "capital"):
                c.add(line_of(item, "nature"), f"line {code}: " + unknown_message("nature", nature, ("operating", "capital")))
                nature = "operating"
            parsed.append((item, Line(code=code, label=c.text(item, "label", f"line {code}: "), parent=_text(item.get("parent")),
                                      character=character, group=_text(item.get("group")), amounts=amounts,
                                      published=published, reference=reference, estimated=tuple(estimated),
                                      notes=c.text(item, "notes", f"line {code}: "), of_which=tuple(of_which), carry=carry,
                                      index=index, nature=nature, source_line=iline)))
        parents = {ln.parent for _, ln in parsed if ln.parent is not None}
        for item, ln in parsed:
            if ln.parent is not None and _key(ln.parent) not in seen:
                c.add(line_of(item, "parent"), f"line {ln.code}: " + unknown_message("parent", ln.parent, seen))
            is_leaf = ln.code not in parents
            if is_leaf:
                if ln.character is None and "character" not in item:  # an unknown one is already reported
                    c.add(ln.source_line, f"line {ln.code} is a leaf and needs a 'character' ({', '.join(CHARACTERS)})")
                if "published" in item:
                    c.add(line_of(item, "published"), f"line {ln.code} is a leaf: give 'amounts', not 'published'")
                if programmed:
                    missing = [str(year) for year in self.years if year not in ln.amounts]
                    if missing:  # one message for the line, not one per year
                        c.add(line_of(item, "amounts") if "amounts" in item else ln.source_line,
                              f"line {ln.code} has no amount for {', '.join(missing)}")
                elif ln.amounts:
                    c.add(line_of(item, "amounts"), f"line {ln.code}: this fund has no programmed table (programmed: false)")
                # no character, or a malformed 'carry': reported already
                if ln.carry is None and ln.character is not None and "carry" not in item:
                    c.add(ln.source_line, f"line {ln.code}: no carry-over policy (give 'carry' or defaults.{ln.character})")
            elif "amounts" in item:
                c.add(line_of(item, "amounts"), f"line {ln.code} has sub-lines: give its printed subtotal as 'published', not 'amounts'")
        # cycles
        by_code = {ln.code: ln for _, ln in parsed}
        for code in by_code:
            walk, steps = by_code[code].parent, 0
            while walk is not None and walk in by_code and steps <= len(by_code):
                walk, steps = by_code[walk].parent, steps + 1
            if steps > len(by_code):
                c.add(by_code[code].source_line, f"line {code}: its parents form a cycle")
        return [ln for _, ln in parsed]

    def read_extra(self, raw: Any, leaves: set[str], line: int) -> list[ExtraTotal]:
        result: list[ExtraTotal] = []
        if not isinstance(raw, list):
            self.c.add(line, "'extra_totals' must be a list")
            return result
        for i, item in enumerate(raw):
            if not self.entry(item, ("code", "label", "members", "published"), ("code", "label", "members", "published"),
                              f"extra_totals #{i + 1}", line_of(raw, i)):
                continue
            if not isinstance(item["members"], list):
                self.c.add(line_of(item, "members"), f"extra total {item['code']}: 'members' must list leaf lines")
                continue
            for m in item["members"]:
                if _key(m) not in leaves:
                    self.c.add(line_of(item, "members"), f"extra total {item['code']}: " + unknown_message("leaf line", m, leaves))
            published, reference = self.year_amounts(item["published"], "published", line_of(item, "published"))
            result.append(ExtraTotal(code=str(item["code"]), label=self.c.text(item, "label", f"extra total {item['code']}: "),
                                     members=tuple(str(m) for m in item["members"]),
                                     published=published, reference=reference, source_line=line_of(raw, i)))
        return result

    def read_errata(self, raw: Any, line: int, totals: dict[str, Any]) -> list[Erratum]:
        """`errata`: printed totals the fund file acknowledges as errors of the published table, each
        with the figure printed and the reading that settles it (R-SOURCE-TOTALS then reports the gap
        as an acknowledged erratum, not an error; an erratum that matches no printed figure is an
        error of the fund file)."""
        result: list[Erratum] = []
        if raw is None:
            return result
        if not isinstance(raw, list):
            self.c.add(line, f"'errata' must be a list, got {kind_of(raw)}")
            return result
        for i, item in enumerate(raw):
            iline = line_of(raw, i)
            if not self.entry(item, ERRATUM_KEYS, ERRATUM_KEYS, f"errata #{i + 1}", iline):
                continue
            code = item["line"]
            if _key(code) not in totals:
                self.c.add(line_of(item, "line"), f"errata #{i + 1}: " + unknown_message("printed total", code, totals))
                continue
            year = self.integer(item, "year", None, f"errata #{i + 1}", None, None, year=True)
            printed = self.amount(item["printed"], line_of(item, "printed"), f"errata #{i + 1}: printed")
            reading = item["reading"]
            if not isinstance(reading, str) or not reading.strip():
                self.c.add(line_of(item, "reading"), f"errata #{i + 1}: 'reading' must say which figure is right "
                                                      f"and why, got {kind_of(reading)}")
                continue
            if year is None:
                continue
            figures = totals[code]
            if year not in figures:
                self.c.add(line_of(item, "year"), f"errata #{i + 1}: {code} prints no figure for {year}")
                continue
            if figures[year] != printed:
                self.c.add(line_of(item, "printed"), f"errata #{i + 1}: {code} {year} is printed {figures[year]} €, "
                                                      f"not {printed} € (the erratum must name the printed figure)")
                continue
            result.append(Erratum(line=str(code), year=year, printed=printed, reading=reading.strip(),
                                  source_line=iline))
        return result
