"""Write a synthetic hrdd project: N fictional companies x Y cycles, valid against ungp-core.

    python scripts/make_synthetic.py --companies 1000 --cycles 3 --out /tmp/synth

The output is a project folder: ``frameworks/`` (copied from this repository) and
``assessments/<slug>/<cycle>.yaml``. Files look like the demo data: about 60 KB each, folded
comments and quotes, 8 to 14 sources, answer mixes that vary by company and improve a little
from one cycle to the next, a few incidents and company replies. Cycles from 2026 on use
ungp-core 1.1 (as the demo's Tessaline 2026 does), earlier ones 1.0.

Deterministic: the same arguments (and ``--seed``) always write byte-identical files, so
benchmarks are comparable between machines and runs. Every file is generated from its own
random stream (seed, company, cycle), so a project of 100 companies is the first 100 of 1,000.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from hrdd.models import Framework
from hrdd.validate import load_framework

REPO = Path(__file__).resolve().parents[1]

FIRST_CYCLE = 2024
NEW_VERSION_FROM = 2026
"""Cycles from this year on answer ungp-core 1.1; earlier ones 1.0."""

WRAP = 96
"""Folded text is wrapped like the demo files (about 96 columns)."""


def _words(text: str) -> list[str]:
    return text.split()


# Words for fictional company names and prose. Mostly plain English, with a few accented words
# so that every run also exercises UTF-8 handling.
NAME_PARTS = _words(
    "al ar bel cor dal en fen gar hal is kel lum mar nor or pax quin ros sol tal ul vel wen xan yor "
    "zel bri cas dor el fal gro hav jun kor lin mer nov op pra rin sil tor ven"
)
NAME_ENDS = _words("a o ia ex is on um ar el ine ora ium ix ent")
TYPES = {
    # company type: (weight, sectors, unit kind, unit names)
    "platform": (
        4,
        ["Social media", "Messaging", "Video conferencing", "Search", "Email"],
        "service",
        ["app", "Messages", "Meet", "Search", "Mail", "Cloud Drive", "Live"],
    ),
    "telecom": (3, ["Telecommunications", "Mobile network"], "service", ["Mobile", "Broadband", "TV", "Wholesale"]),
    "cloud": (2, ["Cloud computing", "Hosting"], "service", ["Compute", "Storage", "CDN", "Database"]),
    "manufacturing": (
        2,
        ["Apparel", "Electronics", "Footwear"],
        "site",
        ["Plant A", "Plant B", "Assembly site", "Warehouse"],
    ),
    "extractives": (1, ["Mining", "Oil and gas"], "site", ["North mine", "South field", "Port terminal", "Smelter"]),
}
COUNTRIES = _words("US DE FR GB NL SE NO FI DK IE ES IT PT BR MX CA JP KR IN ZA KE NG AU NZ CH AT BE PL CZ CL AR")
WORDS = _words(
    "the company discloses policy process human rights due diligence assessment impact users demands "
    "government data request content restriction appeal grievance mechanism remedy board oversight "
    "committee report annual transparency figures country service each year published public review "
    "independent external experts stakeholders affected communities workers suppliers contracts "
    "training staff managers incentives risk salient issues severity likelihood mitigation tracking "
    "effectiveness indicators outcomes privacy expression assembly association security forces law "
    "enforcement legal basis scope narrow challenge courts notify users archive evidence researchers "
    "found statement commitment approved signed reviewed updated explains describes states covers "
    "applies includes lists names provides shows does not only partly clearly since under within "
    "across between before after during about every some most few many no policy's section page "
    "chapter annex table figure document guidelines principles standards São Paulo Zürich Malmö "
    "Kraków Bogotá Dakar Nairobi Jakarta Manila Lagos"
)
LOCATORS = ("Section", "Page", "Chapter", "Annex", "Table", "Heading")
NO_INCIDENT = "No serious allegation was recorded for this company in the research period."


def _name(rnd: random.Random) -> str:
    syllables = rnd.randint(2, 3)
    word = "".join(rnd.choice(NAME_PARTS) for _ in range(syllables)) + rnd.choice(NAME_ENDS)
    return word.capitalize()


def _sentence(rnd: random.Random, low: int, high: int) -> str:
    words = rnd.choices(WORDS, k=rnd.randint(low, high))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _prose(rnd: random.Random, chars: int) -> str:
    """Sentences until about ``chars`` characters."""
    parts: list[str] = []
    size = 0
    while size < chars:
        sentence = _sentence(rnd, 6, 18)
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def _q(text: str) -> str:
    # JSON strings are valid YAML double-quoted scalars (JSON is a subset of YAML 1.2).
    return json.dumps(text, ensure_ascii=False)


def _folded(indent: int, key: str, text: str) -> str:
    """``key: >-`` and the text wrapped; folding joins the lines back with single spaces."""
    pad = " " * (indent + 2)
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(pad) + len(line) + 1 + len(word) > WRAP:
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(pad + line)
    return f"{' ' * indent}{key}: >-\n" + "\n".join(lines) + "\n"


def _date(year: int, rnd: random.Random, first_month: int = 1, last_month: int = 12) -> str:
    return f"{year}-{rnd.randint(first_month, last_month):02d}-{rnd.randint(1, 28):02d}"


class Company:
    """What stays the same for a company across cycles."""

    def __init__(self, seed: int, index: int) -> None:
        rnd = random.Random(f"{seed}/company/{index}")
        self.index = index
        self.name = f"{_name(rnd)} {_name(rnd)}"
        # The index keeps slugs unique however the names collide.
        self.slug = f"{self.name.lower().replace(' ', '-')}-{index:05d}"
        types = list(TYPES)
        self.type = rnd.choices(types, weights=[TYPES[t][0] for t in types])[0]
        _, sectors, unit_kind, unit_names = TYPES[self.type]
        self.sector = rnd.choice(sectors)
        self.country = rnd.choice(COUNTRIES)
        self.domain = f"{self.slug}.example"
        self.unit_kind = unit_kind
        self.units = rnd.sample(unit_names, rnd.randint(1, 3))
        self.strength = rnd.uniform(0.1, 0.85)
        self.description = _prose(rnd, rnd.randint(200, 400))


def _levels(company: Company) -> list[tuple[str, str, str]]:
    levels = [("group", f"{company.name} (whole company)", "group")]
    for n, unit in enumerate(company.units, start=1):
        levels.append((f"u{n}", f"{company.name} {unit}", company.unit_kind))
    return levels


def assessment_text(company: Company, cycle: int, framework: Framework, seed: int) -> str:
    """One assessment file, as text."""
    rnd = random.Random(f"{seed}/assessment/{company.index}/{cycle}")
    strength = min(0.95, company.strength + 0.06 * (cycle - FIRST_CYCLE))
    levels = _levels(company)
    out: list[str] = [
        "# yaml-language-server: $schema=../../schema/assessment.schema.json\n",
        "# Synthetic benchmark data written by scripts/make_synthetic.py: this company does not exist.\n\n",
        "company:\n",
        f"  name: {_q(company.name)}\n",
        f"  slug: {company.slug}\n",
        f"  sector: {_q(company.sector)}\n",
        f"  type: {company.type}\n",
        f"  country: {company.country}\n",
        f'  website: "https://{company.domain}"\n',
        "  fictional: true\n",
        _folded(2, "description", company.description),
        f'framework: {{id: {framework.id}, version: "{framework.version}"}}\n',
        f"cycle: {cycle}\n",
        "assessor:\n  type: independent\n",
        '  name: "Synthetic Rights Monitor (fictional)"\n',
        '  url: "https://synthetic-monitor.example"\n',
        "status: published\n",
        "dates:\n",
        f"  research_start: {cycle}-01-{rnd.randint(10, 28):02d}\n",
        f"  research_end: {cycle}-04-{rnd.randint(10, 28):02d}\n",
        f"  published: {cycle}-09-{rnd.randint(10, 28):02d}\n",
        _folded(0, "summary", _prose(rnd, rnd.randint(250, 500))),
        "levels:\n",
    ]
    for level_id, name, kind in levels:
        out.append(f"  - {{id: {level_id}, name: {_q(name)}, kind: {kind}}}\n")

    source_count = rnd.randint(8, 14)
    out.append("\nsources:\n")
    for n in range(1, source_count + 1):
        slug = "-".join(rnd.choices(WORDS[:60], k=3)).replace("'", "")
        url = f"https://{company.domain}/{slug}"
        accessed = _date(cycle, rnd, 2, 3)
        out += [
            f"  - id: s{n}\n",
            f'    url: "{url}"\n',
            f"    title: {_q(_sentence(rnd, 3, 8)[:-1])}\n",
            f"    publisher: {_q(company.name)}\n",
            f"    document_date: {_date(cycle - 1, rnd)}\n",
            f"    accessed: {accessed}\n",
            f'    archive_url: "https://archive.example/{accessed}/{company.domain}/{slug}"\n',
        ]

    has_incidents = rnd.random() < 0.2
    out.append("\nanswers:\n")
    for element in framework.elements():
        indicator = framework.indicator(element.indicator)
        assert indicator is not None
        applicable = [lv for lv in levels if framework.applies(element, company.type, lv[2])]
        if not applicable:
            continue
        out.append(f"  {element.id}:\n")
        for level_id, _, _ in applicable:
            out.append(f"    {level_id}:\n")
            if indicator.category == "RA" and not has_incidents:
                out.append(f'      answer: not_applicable\n      comment: "{NO_INCIDENT}"\n')
                continue
            out.extend(_answer(rnd, strength, source_count))
    if has_incidents:
        out.extend(_incidents(rnd, cycle, source_count, framework))
    return "".join(out)


def _answer(rnd: random.Random, strength: float, source_count: int) -> Iterator[str]:
    r = rnd.random()
    if r < strength * 0.5:
        answer = "yes"
    elif r < strength * 0.5 + 0.3:
        answer = "partial"
    elif r < strength * 0.5 + 0.33:
        answer = "no"
    elif r < 0.97:
        answer = "no_disclosure"
    else:
        answer = "not_applicable"
    yield f'      answer: "{answer}"\n' if answer in ("yes", "no") else f"      answer: {answer}\n"
    if answer in ("yes", "partial"):
        yield "      evidence:\n"
        for _ in range(rnd.choice((1, 1, 2))):
            yield f"        - source: s{rnd.randint(1, source_count)}\n"
            yield _folded(10, "quote", _prose(rnd, rnd.randint(50, 130)))
            yield f'          locator: "{rnd.choice(LOCATORS)} {rnd.randint(1, 40)}"\n'
    if answer == "not_applicable":
        yield f"      comment: {_q(_sentence(rnd, 8, 16))}\n"
    elif answer != "no_disclosure" or rnd.random() < 0.5:
        yield _folded(6, "comment", _prose(rnd, rnd.randint(50, 150)))
    if rnd.random() < 0.04:
        yield "      reply:\n"
        yield _folded(8, "text", _prose(rnd, rnd.randint(100, 250)))
        yield f"        date: {rnd.randint(2024, 2026)}-07-{rnd.randint(1, 28):02d}\n"


def _incidents(rnd: random.Random, cycle: int, source_count: int, framework: Framework) -> Iterator[str]:
    indicators = [ind.id for ind in framework.all_indicators() if ind.category in ("RA", "DD", "RM")]
    yield "\nincidents:\n"
    for n in range(1, rnd.randint(1, 2) + 1):
        yield f"  - id: incident-{cycle}-{n}\n"
        yield f"    title: {_q(_sentence(rnd, 5, 10)[:-1] + ' (fictional)')}\n"
        yield f"    date: {_date(cycle - 1, rnd)}\n"
        yield _folded(4, "allegation", "Fictional incident. " + _prose(rnd, rnd.randint(300, 600)))
        yield f"    sources: [s{rnd.randint(1, source_count)}, s{rnd.randint(1, source_count)}]\n"
        yield f"    indicators: [{', '.join(rnd.sample(indicators, 4))}]\n"
        if rnd.random() < 0.7:
            yield "    response:\n"
            yield _folded(6, "text", _prose(rnd, rnd.randint(150, 300)))
            yield f"      date: {_date(cycle - 1, rnd)}\n"
            yield f"      sources: [s{rnd.randint(1, source_count)}]\n"
        yield "    assessment:\n"
        yield f"      rating: {rnd.choice(['adequate', 'partial', 'inadequate', 'no_response'])}\n"
        yield _folded(6, "comment", _prose(rnd, rnd.randint(150, 300)))


def write_project(out: Path, companies: int, cycles: int, seed: int) -> int:
    """Write the project into ``out``; returns the number of assessment files written."""
    frameworks = REPO / "frameworks"
    shutil.copytree(frameworks, out / "frameworks", dirs_exist_ok=True)
    versions = {v: load_framework(out / "frameworks" / "ungp-core" / f"{v}.yaml") for v in ("1.0", "1.1")}
    written = 0
    for index in range(companies):
        company = Company(seed, index)
        folder = out / "assessments" / company.slug
        folder.mkdir(parents=True, exist_ok=True)
        for cycle in range(FIRST_CYCLE, FIRST_CYCLE + cycles):
            framework = versions["1.1" if cycle >= NEW_VERSION_FROM else "1.0"]
            text = assessment_text(company, cycle, framework, seed)
            (folder / f"{cycle}.yaml").write_text(text, encoding="utf-8")
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, required=True, help="number of companies")
    parser.add_argument("--cycles", type=int, default=3, help="cycles per company, from 2024 (default: 3)")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write (must be empty or new)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty; choose a new folder")
    written = write_project(args.out, args.companies, args.cycles, args.seed)
    sys.stderr.write(f"wrote {written} assessments of {args.companies} companies into {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
