"""A writable copy of the repository's demo project, and a preliminary assessment to add to it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO

PRELIM_SLUG = "quillwort"
PRELIM_NAME = "Quillwort Preliminary Holdings"
PRELIM_SUMMARY = "Zephyrine summary that only the preliminary assessment contains."
PRELIM_COMMENT = "Obsidian-marmot comment that only the preliminary assessment contains."
PRELIM_URL = "https://quillwort-prelim.example/policy"
PRELIM_STRINGS = (PRELIM_SLUG, "Quillwort", "Zephyrine", "Obsidian-marmot", "quillwort-prelim.example")
"""Strings that appear in the preliminary assessment (and its feedback) and nowhere in the demo."""


def copy_demo(dest: Path) -> Path:
    """The demo project (frameworks, assessments, mkdocs.yml, docs) copied to ``dest``."""
    dest.mkdir(parents=True)
    for name in ("frameworks", "assessments", "docs", "schema"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def preliminary_text(project: Path, *, slug: str = PRELIM_SLUG, name: str = PRELIM_NAME) -> str:
    """Kettleby's 2025 assessment turned into another company's preliminary one, with
    distinctive strings in its name, summary, a comment and a source's link."""
    text = (project / "assessments" / "kettleby" / "2025.yaml").read_text(encoding="utf-8")
    replacements = {
        'name: "Kettleby Apparel"': f'name: "{name}"',
        "slug: kettleby": f"slug: {slug}",
        "https://kettleby.example": f"https://{slug}.example",
        "status: published": "status: preliminary",
        "  published: 2025-09-16\n": "",
        "Improvement in board oversight": f"{PRELIM_SUMMARY} Improvement in board oversight",
        'comment: "Forced labour has a specific commitment; wages and freedom of association do not."': (
            f'comment: "{PRELIM_COMMENT}"'
        ),
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    first_url = text.index("url: ", text.index("sources:"))
    end = text.index("\n", first_url)
    return text[:first_url] + f'url: "{PRELIM_URL}"' + text[end:]


def add_preliminary(project: Path) -> Path:
    path = project / "assessments" / PRELIM_SLUG / "2025.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(preliminary_text(project), encoding="utf-8")
    return path


PRELIM_FEEDBACK = """\
company: quillwort
cycle: 2025
sources:
  - {id: c1, url: "https://quillwort-prelim.example/report", title: "Quillwort report"}
items:
  - element: PC1.1
    level: group
    position: agree
  - element: PC1.2
    level: group
    position: disagree
    reason: "Zephyrine objection: our policy says more."
    evidence: [{source: c1, quote: "Obsidian-marmot quotation."}]
"""


def add_preliminary_feedback(project: Path) -> Path:
    path = project / "assessments" / PRELIM_SLUG / "2025-feedback.yaml"
    path.write_text(PRELIM_FEEDBACK, encoding="utf-8")
    return path
