"""The semantic rules of a framework file."""

from __future__ import annotations

from typing import Any

from hrdd import sectors
from hrdd.check.ids import unique_ids
from hrdd.check.result import Problem
from hrdd.check.schema import located
from hrdd.yamlio import Document, JsonPath, dotted

# --- semantic checks: frameworks --------------------------------------------------------


def framework_problems(doc: Document, shown: str) -> list[Problem]:
    data = doc.data
    problems: list[Problem] = []

    def add(where: JsonPath, message: str, code: str, key: bool = False) -> None:
        problems.append(located(doc, shown, where, message, code, key))

    path = doc.path
    if path.parent.parent.name == "frameworks":
        if data["id"] != path.parent.name:
            add(("id",), f"id {data['id']!r} does not match the folder {path.parent.name!r}; make them equal", "layout")
        if data["version"] != path.stem:
            add(
                ("version",),
                f"version {data['version']!r} does not match the file name {path.name!r}; "
                f"name the file {data['version']}.yaml",
                "layout",
            )

    def unique(items: list[dict[str, Any]], where: JsonPath, what: str) -> set[str]:
        return unique_ids(items, where, what, add)

    answers = data["answers"]
    unique(answers, ("answers",), "answer")
    scale = data.get("scale", {})
    low, high = scale.get("min", 0), scale.get("max", 100)
    if low >= high:
        add(("scale",), f"scale.min ({low}) must be below scale.max ({high})", "scale")
    for n, a in enumerate(answers):
        for prop in ("points", "reversed_points"):
            pts = a.get(prop)
            if pts is not None and not low <= pts <= high:
                add(
                    ("answers", n, prop),
                    f"{prop} {pts} of answer {a['id']!r} is outside the scale {low}..{high}",
                    "scale",
                )
    if all(a["points"] is None for a in answers):
        add(("answers",), "every answer has points: null; at least one answer must score", "answers")
    if sum(1 for a in answers if a.get("initial")) > 1:
        add(("answers",), "more than one answer is marked initial; keep one", "answers")

    company_types = unique(data.get("company_types", []), ("company_types",), "company type")
    level_kinds = unique(data["level_kinds"], ("level_kinds",), "level kind")
    categories = unique(data["categories"], ("categories",), "category")
    sides = {k["side"] for k in data["level_kinds"]}

    ids: dict[str, JsonPath] = {}
    folded: dict[str, tuple[str, JsonPath]] = {}
    pages: dict[str, tuple[str, JsonPath]] = {}

    def claim(item_id: str, where: JsonPath, what: str) -> None:
        # Ids become file names (an indicator's page), and macOS and Windows do not tell file
        # names apart by case: ids must differ by more than case.
        other = folded.get(item_id.casefold())
        if item_id not in ids and other is not None:
            add(
                (*where, "id"),
                f"id {item_id!r} differs only by case from {other[0]!r} (at {dotted(other[1])}); ids become "
                "file names, which many computers do not tell apart by case: rename one",
                "duplicate-id",
            )
        folded.setdefault(item_id.casefold(), (item_id, where))
        if what == "indicator":
            # The page name: "index" is the folder's own page, so the indicator "index" is
            # written as "index-indicator" (hrdd.site.render.Site.indicator_page).
            page = ("index-indicator" if item_id == "index" else item_id).casefold()
            taken = pages.get(page)
            if page == "index" or (taken is not None and taken[0] != item_id and taken[0].casefold() != page):
                add(
                    (*where, "id"),
                    f"indicator id {item_id!r} would have the same page as "
                    f"{'the indicators index' if page == 'index' else repr(taken[0] if taken else '')}; rename it",
                    "duplicate-id",
                )
            pages.setdefault(page, (item_id, where))
        if item_id in ids:
            add(
                (*where, "id"),
                f"duplicate id {item_id!r} for this {what} (already used at {dotted(ids[item_id])}); "
                "indicator and element ids must be unique in the framework",
                "duplicate-id",
            )
        else:
            ids[item_id] = where

    def check_exclusion(excl: dict[str, Any] | None, where: JsonPath) -> None:
        for n, ct in enumerate((excl or {}).get("company_types", [])):
            if ct not in company_types:
                add(
                    (*where, "excluded", "company_types", n),
                    f"unknown company type {ct!r}; declare it under company_types or remove it",
                    "unknown-ref",
                )
        for n, lk in enumerate((excl or {}).get("level_kinds", [])):
            if lk not in level_kinds:
                add(
                    (*where, "excluded", "level_kinds", n),
                    f"unknown level kind {lk!r}; declare it under level_kinds or remove it",
                    "unknown-ref",
                )

    def check_indicator(ind: dict[str, Any], where: JsonPath, family: dict[str, Any] | None) -> None:
        claim(ind["id"], where, "indicator")
        if family is None:
            if "category" not in ind:
                add(
                    where,
                    f"indicator {ind['id']}: missing category; add category: <one of {', '.join(sorted(categories))}>",
                    "category",
                )
            elif ind["category"] not in categories:
                add(
                    (*where, "category"),
                    f"indicator {ind['id']}: unknown category {ind['category']!r}; "
                    f"use one of: {', '.join(sorted(categories))}",
                    "unknown-ref",
                )
            if "scope" not in ind:
                add(where, f"indicator {ind['id']}: missing scope; add scope: company, units or both", "scope")
        elif "category" in ind and ind["category"] != family.get("category"):
            add(
                (*where, "category"),
                f"sub-indicator {ind['id']} has category {ind['category']!r} but its family "
                f"{family['id']} is in {family.get('category')!r}; remove it (sub-indicators inherit it)",
                "category",
            )
        scope = ind.get("scope", (family or {}).get("scope"))
        needed = {"company": {"company"}, "units": {"unit"}, "both": {"company", "unit"}}.get(scope or "", set())
        if needed and not needed & sides:
            add(
                (*where, "scope") if "scope" in ind else where,
                f"indicator {ind['id']}: scope {scope} needs a level kind on the {' or '.join(sorted(needed))} side",
                "scope",
            )
        check_exclusion(ind.get("excluded"), where)
        elements = ind.get("elements", [])
        element_ids = set()
        for n, el in enumerate(elements):
            claim(el["id"], (*where, "elements", n), "element")
            element_ids.add(el["id"])
            check_exclusion(el.get("excluded"), (*where, "elements", n))
        method = ind.get("method", "mean")
        if method == "staged":
            if "stages" not in ind:
                add(where, f"indicator {ind['id']}: method staged needs stages; add them or use method: mean", "stages")
            for s, stage in enumerate(ind.get("stages", [])):
                for r, req in enumerate(stage["requires"]):
                    if req not in element_ids:
                        add(
                            (*where, "stages", s, "requires", r),
                            f"stage requires {req!r}, which is not an element of {ind['id']}",
                            "unknown-ref",
                        )
        elif "stages" in ind:
            add((*where, "stages"), f"indicator {ind['id']}: stages are only read with method: staged", "stages")
        for n, sub in enumerate(ind.get("subindicators", [])):
            if "subindicators" in sub:
                add(
                    (*where, "subindicators", n, "subindicators"),
                    "families nest one level only; move these sub-indicators up",
                    "nesting",
                )
            check_indicator(sub, (*where, "subindicators", n), ind)

    for n, ind in enumerate(data["indicators"]):
        check_indicator(ind, ("indicators", n), None)

    if data["aggregation"]["total"] == "weighted_categories" and not any("weight" in c for c in data["categories"]):
        add(
            ("aggregation", "total"),
            "weighted_categories needs a weight on the categories; add weight: to each",
            "weights",
        )
    for n, flat in enumerate(data["aggregation"].get("flat_levels", [])):
        if flat not in ids:
            add(
                ("aggregation", "flat_levels", n),
                f"flat_levels names {flat!r}, which is not an indicator of this framework",
                "unknown-ref",
            )
    used = {ind.get("category") for ind in data["indicators"]}
    for n, cat in enumerate(data["categories"]):
        if cat["id"] not in used:
            add(
                ("categories", n, "id"),
                f"category {cat['id']!r} has no indicators; remove it or add indicators",
                "category",
            )

    for n, change in enumerate(data.get("changelog", [])):
        if change["change"] != "removed" and change["indicator"] not in ids:
            add(
                ("changelog", n, "indicator"),
                f"changelog names {change['indicator']!r}, which is not an indicator of this version",
                "unknown-ref",
            )
        if change["change"] == "renamed" and "from" not in change:
            add(("changelog", n), "a renamed indicator needs from: <its previous id>", "changelog")
    sectors.check_framework(data, add)
    return problems
