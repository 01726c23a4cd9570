"""``hrdd new``: the text of a complete assessment to fill in, one entry per element.

Every element is listed with its question and guidance as comments and starts with the
framework's initial answer, so the file is valid as written (status: draft) and a company
only has to change answers and add evidence.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import unicodedata
from pathlib import Path

from hrdd.models import Framework
from hrdd.sectors import required_sector


def slugify(name: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Acme Vidéo, Inc." -> "acme-video-inc"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:64].strip("-")


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: safe for any user-given text.
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: str, width: int = 96) -> list[str]:
    lines: list[str] = []
    for paragraph in text.strip().splitlines():
        wrapped = textwrap.wrap(paragraph, width=width - len(indent) - 2) or [""]
        lines.extend(f"{indent}# {w}".rstrip() for w in wrapped)
    return lines


def initial_answer(framework: Framework) -> str:
    marked = [a.id for a in framework.answers if a.initial]
    if marked:
        return marked[0]
    for option in framework.answers:
        if option.points == framework.scale_min and not option.needs_evidence and not option.needs_reason:
            return option.id
    return framework.answers[0].id


def scaffold(
    framework: Framework,
    *,
    company: str,
    slug: str,
    cycle: int,
    self_assessment: bool,
    schema_path: Path,
    target: Path,
    sector: str,
    country: str,
) -> str:
    """The YAML text of a new draft assessment. ``target`` is where it will be written
    (used to make the schema modeline relative)."""
    sector_id = required_sector(framework, sector)  # a framework with sectors needs one of their ids
    modeline = Path(os.path.relpath(schema_path, target.parent)).as_posix()
    company_kinds = [k for k in framework.level_kinds if k.side == "company"]
    level_kind = (company_kinds or list(framework.level_kinds))[0]
    answer = initial_answer(framework)
    answer_list = ", ".join(a.id for a in framework.answers)
    company_type = framework.company_types[0].id if framework.company_types else None
    out = [
        f"# yaml-language-server: $schema={modeline}",
        f"# {framework.title} {framework.version} assessment, created by `hrdd new`.",
        "# Fill in each answer (" + answer_list + "),",
        "# cite sources for yes and partial, then run `hrdd validate` on this file.",
        "company:",
        f"  name: {_q(company)}",
        f"  slug: {_q(slug)}",
        f"  sector: {_q(sector)}",
        f"  country: {_q(country)}  # ISO 3166-1 alpha-2 code of the headquarters",
    ]
    if company_type is not None:
        types = ", ".join(t.id for t in framework.company_types)
        out.append(f"  type: {_q(company_type)}  # one of: {types}")
    out += [
        "framework:",
        f"  id: {_q(framework.id)}",
        f"  version: {_q(framework.version)}",
        f"cycle: {cycle}",
        "assessor:",
        f"  type: {'self' if self_assessment else 'independent'}",
        f"  name: {_q(company if self_assessment else 'Name of the assessing organisation')}",
        "status: draft  # draft, submitted, under_review or published",
        "levels:",
        f"  - id: {level_kind.id}",
        f"    name: {_q(company)}",
        f"    kind: {level_kind.id}  # level kinds: {', '.join(k.id for k in framework.level_kinds)}",
        "sources: []  # each: {id: s1, url: https://..., title: ..., document_date: YYYY-MM-DD,",
        "             #        accessed: YYYY-MM-DD, archive_url: https://...}",
        "answers:",
    ]
    for indicator in framework.leaf_indicators():
        elements = [e for e in indicator.elements if framework.applies(e, company_type, level_kind.id, sector_id)]
        if not elements:
            continue
        out.append("")
        out.extend(_comment(f"{indicator.id} {indicator.title}", "  "))
        for element in elements:
            out.extend(_comment(f"{element.id}: {element.text}", "  "))
            if element.guidance:
                out.extend(_comment(element.guidance, "    "))
            out.append(f"  {_q(element.id)}:")
            out.append(f"    {level_kind.id}:")
            out.append(f"      answer: {answer}")
    out.append("incidents: []")
    return "\n".join(out) + "\n"
