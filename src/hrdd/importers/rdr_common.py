"""What both RDR importers share: RDR's vocabulary (answer scale, company types, level kinds),
the import's result and error, and the steps of writing what was read (slugs, countries, the YAML
text with its header, and writing every file or none).

``rdr_read`` reads the 2022 dataset's zip, ``rdr`` maps it to a framework and assessments;
``rdr2019_read``, ``rdr2019_method`` and ``rdr2019`` do the same for the 2019 download.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hrdd.errors import ImportFormatError, UsageError

FRAMEWORK_ID = "rdr"
ASSESSOR = {"type": "independent", "name": "Ranking Digital Rights", "url": "https://rankingdigitalrights.org"}
PUBLISHER = "Ranking Digital Rights"
LICENCE = "CC BY 4.0"
ATTRIBUTION_URL = "https://rankingdigitalrights.org/index{cycle}"

UNANSWERED_COMMENT = "RDR's dataset has no answer here; imported as N/A, so it is left out of the scores as in RDR's."

# The answer scale. "No disclosure found" never earns credit, also on reversed elements,
# which is why its reversed_points is spelled out (the schema default would give it 100).
# Partial stays 50 when reversed: RDR's Score column shows 50 for partial on reversed elements.
ANSWERS: tuple[dict[str, Any], ...] = (
    {
        "id": "yes",
        "label": "Yes",
        "points": 100,
        "reversed_points": 0,
        "description": "The disclosure fully meets the element.",
    },
    {
        "id": "partial",
        "label": "Partial",
        "points": 50,
        "reversed_points": 50,
        "description": "The disclosure meets the element in part.",
    },
    {
        "id": "no",
        "label": "No",
        "points": 0,
        "reversed_points": 100,
        "description": "The company discloses that it does not meet the element.",
    },
    {
        "id": "no_disclosure",
        "label": "No disclosure found",
        "points": 0,
        "reversed_points": 0,
        "description": "Researchers found no public disclosure about the element.",
    },
    {
        "id": "not_applicable",
        "label": "N/A",
        "points": None,
        "reversed_points": None,
        "description": "The element does not apply to this company or service; left out of every average.",
    },
)
POINTS = {a["id"]: (a["points"], a["reversed_points"]) for a in ANSWERS}

# RDR's CompanyType -> (hrdd company type, sector). RDR's exclusion columns call platforms
# "internet" (F9 and F10 are excluded for them), hence that id rather than "platform".
COMPANY_TYPES = {
    "digital platform": ("internet", "Digital platforms"),
    "internet": ("internet", "Digital platforms"),
    "telecommunications company": ("telecom", "Telecommunications"),
    "telecommunications": ("telecom", "Telecommunications"),
    "telecom": ("telecom", "Telecommunications"),
}
COMPANY_TYPE_LABELS = {
    "internet": "Digital platform (internet and mobile ecosystem company)",
    "telecom": "Telecommunications company",
}


@dataclass(frozen=True, slots=True)
class KindSpec:
    id: str
    label: str
    side: str
    combine_as: str | None = None


MAX_TITLE = 500
MAX_TEXT = 20000
_URL_RE = re.compile(r"^https?://\S+$")
_NA = frozenset({"", "na", "n/a"})


class RdrImportError(ImportFormatError):
    """The zip is not RDR's public CSV dataset in the format this importer reads."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What ``import_rdr`` (``hrdd.importers.rdr_import``) wrote, with counts and notes about the
    data it had to adjust."""

    framework_path: Path
    assessment_paths: tuple[Path, ...]
    companies: int
    indicators: int
    elements: int
    levels: int
    answers: int
    sources: int
    evidence_links: int
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """What the CLI prints: the files written, the counts, and every note."""
        root = self.framework_path.parents[2]
        lines = [
            f"wrote {self.framework_path.relative_to(root)} and {len(self.assessment_paths)} assessments under {root}",
            f"{self.companies} companies, {self.indicators} indicators, {self.elements} elements, "
            f"{self.levels} levels, {self.answers} answers, {self.sources} sources, "
            f"{self.evidence_links} evidence links",
        ]
        if self.notes:
            lines.append("notes:")
            lines += [f"  - {n}" for n in self.notes]
        return "\n".join(lines)


# --- small readers shared by both layouts ---------------------------------------------------


def is_na(value: str) -> bool:
    return value.strip().casefold() in _NA


def http_url(value: str) -> str | None:
    value = value.strip()
    return value if _URL_RE.match(value) and len(value) <= 2000 else None


def open_zip(zip_path: Path) -> zipfile.ZipFile:
    if not zip_path.exists():
        raise RdrImportError(f"{zip_path}: no such file")
    try:
        return zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as exc:
        raise RdrImportError(f"{zip_path}: not a zip archive") from exc
    except OSError as exc:
        raise RdrImportError(f"{zip_path}: cannot read: {exc.strerror or exc}") from exc


def kind_data(kind: KindSpec) -> dict[str, str]:
    data = {"id": kind.id, "label": kind.label, "side": kind.side}
    if kind.combine_as:
        data["combine_as"] = kind.combine_as
    return data


def natural_key(token: str) -> tuple[int, str]:
    digits = re.match(r"\d+", token)
    return (int(digits.group()) if digits else 1 << 30, token)


# --- company data, slugs, YAML, writing ----------------------------------------------------


def company_countries() -> dict[str, str]:
    text = resources.files("hrdd.importers").joinpath("rdr_companies.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    out: dict[str, str] = {}
    for label, entry in (data.get("companies") or {}).items():
        country = entry.get("country") if isinstance(entry, dict) else None
        if isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country):
            out[str(label).casefold()] = country
    return out


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")


class _Dumper(yaml.SafeDumper):
    """SafeDumper without anchors (hrdd's reader refuses them) and with readable long texts."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Multi-line comments read far better as literal blocks than as escaped one-liners.
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Mapping[str, Any], header: Sequence[str]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    # Notes quote the data; a line break there would end the comment and corrupt the YAML.
    lines = (" ".join(line.split()) for line in header)
    return "".join(f"# {line}\n" if line else "#\n" for line in lines) + body


def file_header(zip_path: Path, attribution: str, notes: Sequence[str]) -> list[str]:
    """The comment lines above an imported file: where it came from, whose data it is (``attribution``:
    the text and address RDR asks for), and every note on where the import departs from RDR's files."""
    lines = [
        f"Imported from RDR's public dataset {zip_path.name} by hrdd import rdr; regenerate rather than edit.",
        attribution,
    ]
    if notes:
        lines += ["", "Where the import departs from RDR's files:", *(f"- {n}" for n in notes)]
    return lines


def write_all(files: list[tuple[Path, str]], *, force: bool) -> None:
    # Check every target first so that a refused import leaves nothing half written.
    if not force:
        for path, _ in files:
            if path.exists():
                raise UsageError(f"{path} already exists; use --force (force=True) to overwrite it")
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
