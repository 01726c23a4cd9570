"""The semantic rules of a framework file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hrdd import sectors
from hrdd.check.ids import unique_ids
from hrdd.check.result import Problem
from hrdd.check.schema import located
from hrdd.yamlio import Document, JsonPath, dotted

# --- semantic checks: frameworks --------------------------------------------------------


def framework_problems(doc: Document, shown: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(where: JsonPath, message: str, code: str, key: bool = False) -> None:
        problems.append(located(doc, shown, where, message, code, key))

    check = _FrameworkCheck(doc, add)
    check.layout()
    check.answers()
    check.declarations()
    for n, ind in enumerate(doc.data["indicators"]):
        check.indicator(ind, ("indicators", n), None)
    check.aggregation()
    check.changelog()
    sectors.check_framework(doc.data, add)
    return problems


class _FrameworkCheck:
    """The rules of one framework file, in the order its problems are reported; each step adds
    what it finds through ``add`` (where, message, code, key)."""

    def __init__(self, doc: Document, add: Callable[..., None]) -> None:
        self.doc, self.data, self.add = doc, doc.data, add
        self.company_types: set[str] = set()
        self.level_kinds: set[str] = set()
        self.categories: set[str] = set()
        self.sides: set[str] = set()
        self.ids: dict[str, JsonPath] = {}
        self.folded: dict[str, tuple[str, JsonPath]] = {}
        self.pages: dict[str, tuple[str, JsonPath]] = {}

    def unique(self, items: list[dict[str, Any]], where: JsonPath, what: str) -> set[str]:
        return unique_ids(items, where, what, self.add)

    def layout(self) -> None:
        data, add = self.data, self.add
        path = self.doc.path
        if path.parent.parent.name == "frameworks":
            if data["id"] != path.parent.name:
                add(
                    ("id",),
                    f"id {data['id']!r} does not match the folder {path.parent.name!r}; make them equal",
                    "layout",
                )
            if data["version"] != path.stem:
                add(
                    ("version",),
                    f"version {data['version']!r} does not match the file name {path.name!r}; "
                    f"name the file {data['version']}.yaml",
                    "layout",
                )

    def answers(self) -> None:
        data, add, unique = self.data, self.add, self.unique
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

    def declarations(self) -> None:
        data, unique = self.data, self.unique
        self.company_types = unique(data.get("company_types", []), ("company_types",), "company type")
        self.level_kinds = unique(data["level_kinds"], ("level_kinds",), "level kind")
        self.categories = unique(data["categories"], ("categories",), "category")
        self.sides = {k["side"] for k in data["level_kinds"]}

    def claim(self, item_id: str, where: JsonPath, what: str) -> None:
        add, ids, folded, pages = self.add, self.ids, self.folded, self.pages
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

    def exclusion(self, excl: dict[str, Any] | None, where: JsonPath) -> None:
        add, company_types, level_kinds = self.add, self.company_types, self.level_kinds
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

    def indicator(self, ind: dict[str, Any], where: JsonPath, family: dict[str, Any] | None) -> None:
        self.claim(ind["id"], where, "indicator")
        self.placement(ind, where, family)
        self.contents(ind, where)

    def placement(self, ind: dict[str, Any], where: JsonPath, family: dict[str, Any] | None) -> None:
        add, categories, sides = self.add, self.categories, self.sides
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

    def contents(self, ind: dict[str, Any], where: JsonPath) -> None:
        add = self.add
        self.exclusion(ind.get("excluded"), where)
        elements = ind.get("elements", [])
        element_ids = set()
        for n, el in enumerate(elements):
            self.claim(el["id"], (*where, "elements", n), "element")
            element_ids.add(el["id"])
            self.exclusion(el.get("excluded"), (*where, "elements", n))
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
            self.indicator(sub, (*where, "subindicators", n), ind)

    def aggregation(self) -> None:
        data, add, ids = self.data, self.add, self.ids
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

    def changelog(self) -> None:
        data, add, ids = self.data, self.add, self.ids
        for n, change in enumerate(data.get("changelog", [])):
            if change["change"] != "removed" and change["indicator"] not in ids:
                add(
                    ("changelog", n, "indicator"),
                    f"changelog names {change['indicator']!r}, which is not an indicator of this version",
                    "unknown-ref",
                )
            if change["change"] == "renamed" and "from" not in change:
                add(("changelog", n), "a renamed indicator needs from: <its previous id>", "changelog")
