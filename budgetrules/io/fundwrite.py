"""Writing fund files: a Fund back to the plain data and YAML text of funds/*.yaml, in the unit of
publication, every line's rules written out (round trip: load(dump(f)) == f)."""
from __future__ import annotations

from decimal import Decimal

import yaml

from ..model.fund import Fund
from .yaml import LineDict

UNIT_SYMBOL = {"EUR": "€", "KEUR": "k€", "MEUR": "M€"}
DEFAULT_DECIMALS = {"EUR": 0, "KEUR": 0, "MEUR": 2}


def _unit_amount(value: Decimal, fund: Fund) -> Decimal | int:
    if fund.unit_factor != 1:
        shown = value / fund.unit_factor
        step = Decimal(10) ** -fund.published_decimals
        return shown.quantize(step) if shown == shown.quantize(step) else shown
    return int(value) if value == value.to_integral_value() else value


def _years(mapping: dict[int, Decimal], reference: Decimal | None, fund: Fund) -> dict:
    out: dict = {}
    if reference is not None and fund.reference_year is not None:
        out[fund.reference_year] = _unit_amount(reference, fund)
    for year in sorted(mapping):
        out[year] = _unit_amount(mapping[year], fund)
    return out


def fund_to_data(fund: Fund) -> dict:
    """The fund as the plain data of a fund file (every line's rules written out)."""
    def rate(x: Decimal) -> str:
        return f"{(x * 100).normalize():f}%"

    lines = []
    for ln in fund.lines:
        item: dict = {"code": ln.code, "label": ln.label}
        if ln.parent is not None:
            item["parent"] = ln.parent
        if ln.character is not None:
            item["character"] = ln.character
        if ln.group is not None:
            item["group"] = ln.group
        if ln.amounts or (ln.reference is not None and not ln.published and fund.is_leaf(ln.code)):
            item["amounts"] = _years(ln.amounts, ln.reference, fund)
        if ln.published or (ln.reference is not None and not fund.is_leaf(ln.code)):
            item["published"] = _years(ln.published, ln.reference, fund)
        if ln.estimated:
            item["estimated"] = list(ln.estimated)
        if ln.notes:
            item["notes"] = ln.notes
        if ln.of_which:
            item["of_which"] = [{"label": o.label, "amounts": {y: _unit_amount(v, fund) for y, v in sorted(o.amounts.items())}}
                                for o in ln.of_which]
        if ln.carry is not None:
            carry: dict = {"mode": ln.carry.mode, "rule": ln.carry.rule}
            if ln.carry.cap is not None:
                carry["cap"] = rate(ln.carry.cap)
            if ln.carry.ap:
                carry["ap"] = True
            item["carry"] = carry
        if ln.nature != "operating":
            item["nature"] = ln.nature
        if ln.index is not None:
            index: dict = {"kind": ln.index.kind, "rule": ln.index.rule}
            if ln.index.base_year is not None:
                index["base_year"] = ln.index.base_year
            if ln.index.first_year is not None:
                index["first_year"] = ln.index.first_year
            if ln.index.base_forecast is not None:
                index["base_forecast"] = rate(ln.index.base_forecast)
            item["index"] = index
        lines.append(item)
    f = fund.fungibility
    data: dict = {"code": fund.code, "label": fund.label}
    if fund.order != 100:
        data["order"] = fund.order
    data["unit"] = UNIT_SYMBOL[fund.unit]
    if fund.published_decimals != DEFAULT_DECIMALS[fund.unit]:
        data["published_decimals"] = fund.published_decimals
    data["period"] = [fund.first_year, fund.last_year]
    if fund.reference_year is not None:
        data["reference_year"] = fund.reference_year
    if not fund.programmed:
        data["programmed"] = False
    if fund.source:
        data["source"] = fund.source
    data["citations"] = dict(fund.citations)
    data["lines"] = lines
    if fund.extra_totals:
        data["extra_totals"] = [{"code": e.code, "label": e.label, "members": list(e.members),
                                 "published": _years(e.published, e.reference, fund)} for e in fund.extra_totals]
    if fund.errata:
        data["errata"] = [{"line": e.line, "year": e.year, "printed": _unit_amount(e.printed, fund),
                           "reading": e.reading} for e in fund.errata]
    data["fungibility"] = {"default": {"verdict": f.default_verdict, "rule": f.default_rule},
                           "groups": {g.name: {"within": g.within, "rule": g.rule, **({"same_section_only": True} if g.same_section_only else {}),
                                                  **({"label": dict(g.label)} if g.label else {})}
                                      for g in f.groups},
                           "directions": [{"from": d.source, "to": d.target, "verdict": d.verdict, "rule": d.rule} for d in f.directions],
                           **({"notice_months": f.notice_months} if f.notice_months is not None else
                              {"notice_days": f.notice_days} if f.notice_days is not None else {}), "notify": f.notify}
    r = fund.receipts
    receipts: dict = {"mode": r.mode, "rule": r.rule}
    if r.to_line:
        receipts["to_line"] = r.to_line
    receipts["lag_years"] = r.lag_years
    if r.accounts:
        receipts["accounts"] = {a.account: {"label": a.label, "reuse": rate(a.reuse)} for a in r.accounts}
    if r.categories:
        receipts["categories"] = {k: rate(v) for k, v in r.categories.items()}
    data["receipts"] = receipts
    if fund.noncash:
        data["noncash"] = {"rule": fund.noncash.rule, "counterpart_classes": list(fund.noncash.counterpart_classes)}
    if fund.real_estate:
        re_ = fund.real_estate
        data["real_estate"] = {"rule": re_.rule, "investment_line": re_.investment_line, "rent_line": re_.rent_line,
                               "rent_years": re_.rent_years, "lag_years": re_.lag_years}
    if fund.reserve:
        data["reserve"] = {"line": fund.reserve.line, "rule": fund.reserve.rule}
    if fund.reserve_fund:
        rf = fund.reserve_fund
        data["reserve_fund"] = {"opening": f"{rf.opening:f}", "opening_year": rf.opening_year,
                                "resources": {k: dict(rf.resource_labels[k]) if k in rf.resource_labels else None
                                              for k in rf.resources} if rf.resource_labels else list(rf.resources),
                                "rule": rf.rule}
    v = fund.votes
    votes: dict = {"rule": v.rule, "primitif_year_offset": v.primitif_year_offset,
                   "rectificatif_year_offset": v.rectificatif_year_offset}
    for key in ("primitif_latest", "rectificatif_before", "executory_days"):
        if getattr(v, key) is not None:
            votes[key] = getattr(v, key)
    data["votes"] = votes
    pa = fund.participation
    if pa is not None:
        data["participation"] = {"rule": pa.rule, "net_expenses": pa.net_expenses,
                                 **({"branches": dict(pa.branches)} if pa.branches else {}),
                                 **({"key": {k: rate(v) for k, v in pa.key.items()}} if pa.key else {})}
    if fund.bilan_lines:
        data["bilan"] = {k: list(v) for k, v in fund.bilan_lines.items()}
    ca = fund.carry_across
    if ca.from_previous or ca.to_next != "none" or ca.group_caps:
        data["carry_over"] = {"from_previous": ca.from_previous, "to_next": ca.to_next,
                              "group_caps": [{"lines": list(g.lines), "rule": g.rule,
                                              "cap": rate(g.share) if g.share is not None else f"{g.amount:f}",
                                              **({"label": g.label} if g.label else {})} for g in ca.group_caps]}
    return data


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    """A Decimal as the plain number it is (12, 37.33): tagged as what its text reads as, so that the
    writer adds no explicit tag (a file with one is refused)."""
    text = f"{value:f}"
    return dumper.represent_scalar("tag:yaml.org,2002:" + ("float" if "." in text else "int"), text)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(LineDict, lambda d, v: d.represent_dict(dict(v)))


def dump_fund(fund: Fund) -> str:
    """The fund file text for a Fund (round trip: load(dump(f)) == f)."""
    return yaml.dump(fund_to_data(fund), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
