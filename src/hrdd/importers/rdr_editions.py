"""What ties two imported RDR editions together: a company identity map and a derived changelog.

* The identity map (a YAML file of the project's, not code) says which slug a company is
  written under, so that a company RDR renamed between editions (Facebook, then Meta) has
  one history: ``companies: {Facebook: meta}``.
* The changelog of a newer ``rdr`` framework to an older one is derived from the two framework
  files: an indicator is comparable when, after mapping the two editions' id spellings onto
  each other (``G01.01`` and ``G1.1`` are the same id), it has the same elements with the same
  texts in both; every other indicator is written as changed or added, with the reason. hrdd's
  history then compares scores on the comparable indicators only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from hrdd.errors import ImportFormatError

_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def older_framework(out_dir: Path, framework_id: str, version: str) -> dict[str, Any] | None:
    """The newest framework file of ``framework_id`` in ``out_dir`` older than ``version``."""
    from hrdd.load import version_key

    folder = out_dir / "frameworks" / framework_id
    older = [p for p in folder.glob("*.yaml") if version_key(p.stem) < version_key(version)] if folder.is_dir() else []
    if not older:
        return None
    path = max(older, key=lambda p: version_key(p.stem))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ImportFormatError(f"{path}: cannot read the earlier edition's framework to compare with: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list) or "version" not in data:
        raise ImportFormatError(f"{path}: not a framework file (no version or indicators)")
    return data


def read_identities(path: Path) -> dict[str, str]:
    """The identity map: company name (case-insensitive) -> slug."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"{path}: cannot read the company identity map: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ImportFormatError(f"{path}{where}: not valid YAML: {exc}") from exc
    companies = data.get("companies") if isinstance(data, dict) else None
    if not isinstance(companies, dict):
        raise ImportFormatError(f"{path}: expected 'companies:' mapping each company's name to its slug")
    out: dict[str, str] = {}
    for name, slug in companies.items():
        if not isinstance(slug, str) or not _SLUG_RE.match(slug):
            raise ImportFormatError(
                f"{path}: companies: {name}: {slug!r} is not a slug (lower-case words joined by hyphens)"
            )
        out[str(name).casefold()] = slug
    return out


def canonical_id(identifier: str) -> str:
    """An id with its numbers' leading zeros dropped: RDR writes G01.01 in 2022, G1.1 in 2019."""
    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", identifier).casefold()


def _text(value: str) -> str:
    value = value.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(value.split()).casefold()


def _indicators(framework: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for ind in framework.get("indicators", []):
        out[ind["id"]] = ind
        for sub in ind.get("subindicators", []):
            out[sub["id"]] = sub
    return out


def derive_changelog(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Changelog entries of ``new`` since ``old`` (both framework data), and a summary note."""
    since = str(new["version"])
    old_by_canon = {canonical_id(i): ind for i, ind in _indicators(old).items()}
    entries: list[dict[str, Any]] = []
    comparable: list[str] = []
    for ind_id, ind in _indicators(new).items():
        previous = old_by_canon.get(canonical_id(ind_id))
        if previous is None:
            entries.append(
                {
                    "indicator": ind_id,
                    "change": "added",
                    "since": since,
                    "note": f"no indicator {ind_id} in {old['version']}",
                }
            )
            continue
        why = _difference(ind, previous)
        if why:
            changed: dict[str, Any] = {
                "indicator": ind_id,
                "change": "changed",
                "since": since,
                "note": f"not comparable with {previous['id']} of {old['version']}: {why}",
            }
            if previous["id"] != ind_id:
                changed["from"] = previous["id"]
            entries.append(changed)
            continue
        comparable.append(ind_id)
        old_elements = {canonical_id(e["id"]): e["id"] for e in previous.get("elements", [])}
        mapping = {el["id"]: old_elements[canonical_id(el["id"])] for el in ind.get("elements", [])}
        renamed = previous["id"] != ind_id or any(k != v for k, v in mapping.items())
        entry: dict[str, Any] = {
            "indicator": ind_id,
            "change": "renamed" if renamed else "unchanged",
            "since": since,
            "note": f"the same elements with the same texts as {previous['id']} of {old['version']} "
            "(derived from the data)",
        }
        if renamed:
            # The ids are spelt differently (P13.01 and P13.1): the history needs the mapping.
            entry["from"] = previous["id"]
            entry["elements"] = {k: v for k, v in mapping.items() if k != v}
        entries.append(entry)
    n_changed = len([e for e in entries if e["change"] == "changed"])
    added = len([e for e in entries if e["change"] == "added"])
    note = (
        f"changelog since rdr {old['version']} derived from the two framework files (ids matched without leading "
        f"zeros, element texts compared): {len(comparable)} comparable ({', '.join(comparable) or 'none'}), "
        f"{n_changed} changed, {added} added"
    )
    return entries, [note]


def _difference(new: Mapping[str, Any], old: Mapping[str, Any]) -> str:
    """Why two indicators are not the same measure; empty when they are."""
    if bool(new.get("subindicators")) != bool(old.get("subindicators")):
        return "a family of sub-indicators in one edition, a single indicator in the other"
    if new.get("subindicators"):
        return ""  # a family compares when every sub-indicator does (hrdd.history)
    new_els: Sequence[Mapping[str, Any]] = new.get("elements", [])
    old_els: Sequence[Mapping[str, Any]] = old.get("elements", [])
    old_by_canon = {canonical_id(e["id"]): e for e in old_els}
    reasons = []
    for el in new_els:
        before = old_by_canon.get(canonical_id(el["id"]))
        if before is None:
            reasons.append(f"{el['id']} is new")
        elif _text(before["text"]) != _text(el["text"]):
            reasons.append(f"{el['id']}'s text differs from {before['id']}'s")
        elif bool(before.get("reversed")) != bool(el.get("reversed")):
            reasons.append(f"{el['id']} is scored the other way round")
    new_canon = {canonical_id(e["id"]) for e in new_els}
    reasons += [f"{e['id']} was dropped" for e in old_els if canonical_id(e["id"]) not in new_canon]
    if not reasons:
        return ""
    shown = "; ".join(reasons[:3])
    return shown + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
