"""The 2019 methodology, derived from RDR's 2019 download (``rdr2019_read``) and its indicator
pages (``rdr_text``): level kinds, aspects, scopes, exclusions and reversed elements, and the
framework document that says so (``rdr2019``'s docstring describes the method)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hrdd.importers import rdr_common as common
from hrdd.importers.rdr2019_read import CompanyData, Dataset, Row, canon
from hrdd.importers.rdr_text import IndicatorPage

FRAMEWORK_VERSION = "2019"
ATTRIBUTION_TEXT = "Data: Ranking Digital Rights, {cycle} Corporate Accountability Index, CC BY 4.0"
TITLE = "Ranking Digital Rights {cycle} methodology (as used in the {cycle} Corporate Accountability Index)"
SUMMARY = (
    "Ranking Digital Rights' {cycle} Corporate Accountability Index scores internet, mobile ecosystem and "
    "telecommunications companies on their public commitments, policies and practices affecting users' "
    "freedom of expression and privacy. Imported from RDR's public CSV download and indicator pages by "
    "hrdd import rdr; scores reproduce RDR's published, unrounded results."
)


# --- the methodology, derived from the data and the indicator pages --------------------------


@dataclass(slots=True)
class Method:
    aspects: tuple[str, ...]
    """Category names that levels are split by ("Group - Privacy")."""
    kinds: dict[str, common.KindSpec]
    categories: dict[str, str]
    """Category id -> title."""
    indicators: dict[str, str]
    """Indicator id -> category id, in order."""
    elements: dict[str, list[str]]
    """Indicator id -> element ids, in order."""
    reversed: set[str]
    answered_kinds: dict[str, set[str]]
    """Indicator id -> level kinds it has answers at (in any company)."""
    answered_types: dict[str, set[str]]
    flat: set[str]
    types: dict[str, tuple[str, str, str]]
    """Company name -> (type id, type label, sector)."""


def _aspect_split(level: str, aspects: Sequence[str]) -> tuple[str, str | None]:
    for aspect in aspects:
        suffix = f" - {aspect}"
        if level.endswith(suffix):
            return level[: -len(suffix)].strip(), aspect
    return level.strip(), None


def _company_type(company: CompanyData, summary_types: Mapping[str, str]) -> tuple[str, str, str]:
    words = [company.category, summary_types.get(company.name, "")]
    for word in words:
        key = canon(word)
        for prefix, (type_id, sector) in common.COMPANY_TYPES.items():
            if key and (key.startswith(prefix) or prefix.startswith(key)):
                return type_id, common.COMPANY_TYPE_LABELS[type_id], sector
    label = summary_types.get(company.name) or company.category or "unknown"
    return common.slugify(label) or "unknown", label, label


def kind_of_row(
    row: Row, sublevel_services: set[tuple[str, str]], aspects: Sequence[str]
) -> tuple[common.KindSpec, str | None]:
    """The level kind of an answer row, and its aspect."""
    cls, service = row["Class"].strip(), row["Service_Name"].strip()
    _, aspect = _aspect_split(row["Level"], aspects)
    company_wide = common.is_na(service)
    if company_wide:
        kind = common.KindSpec(common.slugify(cls) or "company", cls, "company")
    elif (cls, service) in sublevel_services:
        # RDR scores these services as sublevels of one level of their class (prepaid and
        # postpaid mobile): they are combined into one service before services are averaged.
        kind = common.KindSpec(common.slugify(service), service, "unit", common.slugify(cls))
    else:
        kind = common.KindSpec(common.slugify(cls) or "service", cls, "unit")
    if aspect is None:
        return kind, None
    # A company-wide aspect level (Group - Privacy) combines with its sibling aspects into the
    # level RDR's company-wide summary row scores (Group). Services' aspects do not: two services
    # of one class (two messengers) would share a kind and be mixed into one number.
    combine = kind.id if kind.side == "company" else None
    return common.KindSpec(
        f"{kind.id}-{common.slugify(aspect)}", f"{kind.label} ({aspect})", kind.side, combine
    ), aspect


def derive_method(data: Dataset, pages: Mapping[str, IndicatorPage]) -> Method:
    category_names: dict[str, None] = {}
    indicator_category: dict[str, str] = {}
    for company in data.companies.values():
        for row in company.answers:
            category_names.setdefault(row["Category"].strip(), None)
    category_names.pop("", None)
    level_names = {r["Level"].strip() for co in data.companies.values() for r in co.answers}
    aspects = tuple(c for c in category_names if any(name.endswith(f" - {c}") for name in level_names))
    summary_types = {}
    if data.summary is not None:
        summary_types = {" ".join(r["Company"].split()): r["Category"] for r in data.summary.rows}
    kinds: dict[str, common.KindSpec] = {}
    elements: dict[str, dict[str, None]] = {}
    answered_kinds: dict[str, set[str]] = {}
    answered_types: dict[str, set[str]] = {}
    aspect_indicators: set[str] = set()
    plain_indicators: set[str] = set()
    reversed_elements: set[str] = set()
    types = {}
    for company in data.companies.values():
        types[company.name] = _company_type(company, summary_types)
        subs = {(r["Class"].strip(), r["Service_Name"].strip()) for r in company.sublevel_rows}
        for row in company.answers:
            ind = row["Indicator"].strip()
            kind, aspect = kind_of_row(row, subs, aspects)
            kinds.setdefault(kind.id, kind)
            indicator_category.setdefault(ind, row["Category"].strip())
            elements.setdefault(ind, {})[row["Element"].strip()] = None
            answered_kinds.setdefault(ind, set()).add(kind.id)
            answered_types.setdefault(ind, set()).add(types[company.name][0])
            (aspect_indicators if aspect else plain_indicators).add(ind)
            word = canon(row["Answer"])
            if (word == "yes" and row["Score"].strip() == "0") or (word == "no" and row["Score"].strip() == "100"):
                reversed_elements.add(row["Element"].strip())
    categories: dict[str, str] = {}
    cat_ids: dict[str, str] = {}
    for title in category_names:
        members = [i for i, c in indicator_category.items() if c == title]
        prefix = _common_prefix(members) or common.slugify(title)
        cat_ids[title] = prefix
        categories[prefix] = title
    order = sorted(
        indicator_category,
        key=lambda i: (list(category_names).index(indicator_category[i]), common.natural_key(re.sub(r"^\D+", "", i))),
    )
    # Elements in the pages' order; any the data has beyond the pages are added after them.
    element_ids: dict[str, list[str]] = {}
    for ind in order:
        page = pages.get(ind)
        from_pages = [f"{ind}.{n}" for n in range(1, len(page.elements) + 1)] if page else []
        extra = sorted(
            (e for e in elements[ind] if e not in from_pages), key=lambda e: common.natural_key(e.split(".")[-1])
        )
        element_ids[ind] = from_pages + extra
    return Method(
        aspects=aspects,
        kinds=kinds,
        categories=categories,
        indicators={i: cat_ids[indicator_category[i]] for i in order},
        elements=element_ids,
        reversed=reversed_elements,
        answered_kinds=answered_kinds,
        answered_types=answered_types,
        flat=aspect_indicators - plain_indicators,
        types=types,
    )


def _common_prefix(ids: Sequence[str]) -> str:
    letters = {re.match(r"^[A-Za-z]+", i).group() for i in ids if re.match(r"^[A-Za-z]+", i)}  # type: ignore[union-attr]
    return letters.pop() if len(letters) == 1 else ""


# --- writing the framework ---------------------------------------------------------------------


def framework_data(meth: Method, pages: Mapping[str, IndicatorPage], cycle: int, notes: list[str]) -> dict[str, Any]:
    indicators = []
    for ind, cat in meth.indicators.items():
        page = pages.get(ind)
        if page is None:
            notes.append(f"{ind}: no indicator page; its title and element texts are its id")
        kinds_here = meth.answered_kinds[ind]
        sides = {meth.kinds[k].side for k in kinds_here}
        scope = "both" if sides == {"company", "unit"} else "company" if sides == {"company"} else "units"
        in_scope = [k for k in meth.kinds.values() if scope == "both" or (k.side == "company") == (scope == "company")]
        excluded_kinds = sorted(k.id for k in in_scope if k.id not in kinds_here)
        excluded_types = sorted(t for t in {v[0] for v in meth.types.values()} if t not in meth.answered_types[ind])
        entry: dict[str, Any] = {
            "id": ind,
            "category": cat,
            "title": (page.title if page else ind)[: common.MAX_TITLE],
        }
        if page and page.standard:
            entry["standard"] = page.standard[: common.MAX_TEXT]
        if page and page.guidance:
            entry["guidance"] = page.guidance[: common.MAX_TEXT]
        entry["scope"] = scope
        excluded: dict[str, list[str]] = {}
        if excluded_types:
            excluded["company_types"] = excluded_types
        if excluded_kinds:
            excluded["level_kinds"] = excluded_kinds
        if excluded:
            entry["excluded"] = excluded
        els = []
        for n, el in enumerate(meth.elements[ind]):
            text = page.elements[n] if page and n < len(page.elements) else ""
            if not text:
                text = f"Element {el} (RDR's indicator pages give no text for it)"
                if page:
                    notes.append(f"{el}: answered in the data but not listed on {page.path.name}")
            item: dict[str, Any] = {"id": el, "text": text[: common.MAX_TEXT]}
            if el in meth.reversed:
                item["reversed"] = True
            els.append(item)
        entry["elements"] = els
        indicators.append(entry)
    return {
        "id": common.FRAMEWORK_ID,
        "version": FRAMEWORK_VERSION,
        "title": TITLE.format(cycle=cycle),
        "summary": SUMMARY.format(cycle=cycle),
        "publisher": common.PUBLISHER,
        "licence": common.LICENCE,
        "attribution": {
            "text": ATTRIBUTION_TEXT.format(cycle=cycle),
            "url": common.ATTRIBUTION_URL.format(cycle=cycle),
        },
        "answers": [dict(a) for a in common.ANSWERS],
        "scale": {"min": 0, "max": 100},
        "company_types": sorted(
            ({"id": t, "label": label} for t, label, _ in set(meth.types.values())), key=lambda d: d["id"]
        ),
        "level_kinds": [common.kind_data(k) for k in meth.kinds.values()],
        "categories": [{"id": cid, "title": title} for cid, title in meth.categories.items()],
        "indicators": indicators,
        "aggregation": {
            "total": "mean_of_indicators",
            "flat_levels": [i for i in meth.indicators if i in meth.flat],
        },
        "rounding": {"decimals": 2, "mode": "half_up", "at": "never"},
    }
