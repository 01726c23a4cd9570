"""Reading RDR's 2022 dataset (the 2020 methodology): the zip's CSV members, the methodology
metadata, every element answer, the source lists, and reconciling the metadata's exclusions with
the published answers. ``rdr`` turns what is read here into the framework and assessments.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hrdd.importers.rdr_common import (
    COMPANY_TYPE_LABELS,
    COMPANY_TYPES,
    MAX_TITLE,
    KindSpec,
    RdrImportError,
    http_url,
    is_na,
    slugify,
)

# Where the RDR files sit in the zip; the year prefix (2022-rdr-index-...) is not fixed.
MEMBER_META_ELEMENTS = "rdr-index-11-meta-elements.csv"
MEMBER_META_INDICATORS = "rdr-index-12-meta-indicators.csv"
MEMBER_LEVEL_SCORES = "rdr-index-05-level-scores.csv"
MEMBER_ELEMENT_SCORES = "rdr-index-06-element-scores.csv"
SOURCES_SUFFIX = "-sources.csv"
MEMBER_README = "README.md"
# RDR's README carries the release date ("> Last updated: 2022-04-21"); it is the only date
# in the dataset that says when the results were published.
_RELEASED_RE = re.compile(r"last updated:\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)

# Columns read from each file (matched case-insensitively; other columns are ignored).
COLUMNS_META_INDICATORS = (
    "Category",
    "Indicator",
    "indicatorNr",
    "indicatorSuffix",
    "isParent",
    "labelLong",
    "description",
    "guidance",
    "scoringScope",
    "excludedCompanies",
    "excludedServices",
)
COLUMNS_META_ELEMENTS = (
    "Indicator",
    "Element",
    "description",
    "excludedCompanies",
    "excludedServices",
    "isReversedScoring",
)
COLUMNS_ELEMENT_SCORES = (
    "Index",
    "CompanyType",
    "Company",
    "CompanyLabel",
    "Indicator",
    "Element",
    "Branch",
    "Class",
    "Service",
    "Result",
    "Comment",
    "Score",
)
COLUMNS_LEVEL_SCORES = ("Company", "Indicator", "Class", "Service", "SourceRefs")
COLUMNS_SOURCES = ("SourceNr", "DocumentTitle", "URL", "DocumentDate", "DateAccessed", "Saved Source link")

# RDR's answer words (compared case-insensitively) -> hrdd answer ids.
RESULT_TO_ANSWER = {
    "yes": "yes",
    "partial": "partial",
    "no": "no",
    "no disclosure found": "no_disclosure",
    "na": "not_applicable",
    "n/a": "not_applicable",
}
RESULT_SPELLINGS = "yes, partial, no, no disclosure found, NA"
NOT_APPLICABLE = "not_applicable"

SCOPES = {"company": "company", "services": "units", "full": "both"}


# RDR's level classes. Prepaid and postpaid mobile are averaged into one mobile level before
# the service side is averaged; RDR's exclusion columns call both of them "mobile".
LEVEL_KINDS = (
    KindSpec("group", "Group", "company"),
    KindSpec("opcom", "Operating company", "company"),
    KindSpec("search", "Search engine", "unit"),
    KindSpec("email", "Email", "unit"),
    KindSpec("messagingVoip", "Messaging and VoIP", "unit"),
    KindSpec("cloud", "Cloud storage", "unit"),
    KindSpec("eCommerce", "E-commerce platform", "unit"),
    KindSpec("pda", "Personal digital assistant ecosystem", "unit"),
    KindSpec("socialNetworkBlogs", "Social network and blogs", "unit"),
    KindSpec("photoVideo", "Video and photo sharing", "unit"),
    KindSpec("mobileEcosystem", "Mobile ecosystem", "unit"),
    KindSpec("prepaid", "Prepaid mobile", "unit", "mobile"),
    KindSpec("postpaid", "Postpaid mobile", "unit", "mobile"),
    KindSpec("broadband", "Fixed-line broadband", "unit"),
)
KIND_ALIASES = {"group": ("group",), "opcom": ("opcom",), "mobile": ("prepaid", "postpaid")}

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- reading the zip -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record: the line it starts on and its values by canonical column name."""

    member: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]


def _canon(name: str) -> str:
    # Column names differ in case between RDR's files ("Saved Source link" / "Saved source link").
    return " ".join(name.split()).casefold()


class Archive:
    """RDR's zip: finds members by their stable suffix and reads them as CSV records."""

    def __init__(self, zip_path: Path, zf: zipfile.ZipFile) -> None:
        self.path = zip_path
        self._zf = zf
        # Zips made on macOS carry __MACOSX/._<name> shadows of every file; they are not data.
        self._names = [
            n
            for n in zf.namelist()
            if not n.endswith("/") and "__MACOSX/" not in n and not PurePosixPath(n).name.startswith("._")
        ]
        years = {m.group(1) for n in self._names if (m := re.search(r"(\d{4})-rdr-index-", n))}
        self._prefix = f"{min(years)}-" if len(years) == 1 else "*-"

    def error(self, message: str, member: str | None = None, line: int | None = None) -> RdrImportError:
        where = f"{self.path}"
        if member is not None:
            where += f": {member}"
            if line is not None:
                where += f", line {line}"
        return RdrImportError(f"{where}: {message}")

    def find(self, suffix: str) -> str | None:
        hits = sorted(n for n in self._names if PurePosixPath(n).name.casefold().endswith(suffix.casefold()))
        return hits[0] if hits else None

    def require(self, suffix: str) -> str:
        name = self.find(suffix)
        if name is None:
            raise self.error(f"missing member {self._prefix}{suffix}")
        return name

    def sources_member(self, company: str) -> str | None:
        # company-sources/2022-rdr-index-<Company>-sources.csv
        return self.find(f"-{company}{SOURCES_SUFFIX}")

    def text(self, member: str) -> str:
        try:
            return self._zf.read(member).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise self.error(f"not UTF-8 text ({exc.reason} at byte {exc.start})", member) from exc
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise self.error(f"cannot read member: {exc}", member) from exc

    def records(self, member: str, columns: Sequence[str]) -> Iterator[Record]:
        text = self.text(member)
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            raise self.error("empty file, expected a header line", member)
        index = {_canon(h): i for i, h in enumerate(header)}
        for column in columns:
            if _canon(column) not in index:
                raise self.error(f"missing column '{column}'", member, 1)
        picks = [(c, index[_canon(c)]) for c in columns]
        start = reader.line_num + 1
        for row in reader:
            if row:  # a blank line is not a record
                if len(row) != len(header):
                    raise self.error(f"expected {len(header)} fields, found {len(row)}", member, start)
                yield Record(member, start, {c: row[i] for c, i in picks})
            start = reader.line_num + 1


def published_date(archive: Archive) -> str:
    member = archive.find(MEMBER_README)
    text = archive.text(member) if member else ""
    match = _RELEASED_RE.search(text)
    date = _date(match.group(1)) if match else None
    if date is None:
        where = member or MEMBER_README
        raise archive.error(
            f"cannot tell when the results were published: {where} is missing or has no 'Last updated: YYYY-MM-DD' line"
        )
    return date


# --- methodology ---------------------------------------------------------------------------


@dataclass(slots=True)
class Exclusion:
    company_types: list[str] = field(default_factory=list)
    level_kinds: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        if self.company_types:
            data["company_types"] = list(self.company_types)
        if self.level_kinds:
            data["level_kinds"] = list(self.level_kinds)
        return data


@dataclass(slots=True)
class Element:
    id: str
    indicator: str
    text: str
    reversed: bool
    excluded: Exclusion


@dataclass(slots=True)
class Indicator:
    id: str
    category: str
    title: str
    standard: str
    guidance: str
    scope: str | None
    excluded: Exclusion
    is_family: bool = False
    parent: str | None = None
    elements: list[Element] = field(default_factory=list)
    subindicators: list[Indicator] = field(default_factory=list)


@dataclass(slots=True)
class Methodology:
    categories: list[str]
    indicators: list[Indicator]
    by_id: dict[str, Indicator]
    elements: dict[str, Element]
    kinds: dict[str, KindSpec]
    company_types: dict[str, str]
    """Company type id -> label, for every type the metadata or the data names."""

    def chain(self, element: Element) -> list[Exclusion]:
        """The exclusions that can remove ``element``: its own, its indicator's, its family's."""
        indicator = self.by_id[element.indicator]
        chain = [element.excluded, indicator.excluded]
        if indicator.parent is not None:
            chain.append(self.by_id[indicator.parent].excluded)
        return chain

    def scope(self, element: Element) -> str:
        indicator = self.by_id[element.indicator]
        scope = indicator.scope
        if scope is None and indicator.parent is not None:
            scope = self.by_id[indicator.parent].scope
        return scope or "both"

    def applies(self, element: Element, company_type: str, kind: str) -> bool:
        side = self.kinds[kind].side
        scope = self.scope(element)
        if scope != "both" and (scope == "company") != (side == "company"):
            return False
        return not any(company_type in ex.company_types or kind in ex.level_kinds for ex in self.chain(element))


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def _split(value: str) -> list[str]:
    return [] if is_na(value) else [p.strip() for p in value.split("|") if p.strip()]


def _kind_id(rdr_class: str) -> str:
    """hrdd level-kind id for an RDR class as written in the data ("Group", "OpCom", "search")."""
    lowered = rdr_class.strip().casefold()
    if lowered in KIND_ALIASES and len(KIND_ALIASES[lowered]) == 1:
        return KIND_ALIASES[lowered][0]
    name = rdr_class.strip()
    return name if _ID_RE.match(name) else slugify(name) or "unknown"


def _kinds_for_term(term: str) -> tuple[str, ...]:
    """Level kinds named by a term of RDR's excludedServices column ("opCom", "mobile", "email")."""
    return KIND_ALIASES.get(term.casefold(), (_kind_id(term),))


def _exclusion(record: Record, kinds: dict[str, KindSpec], types: dict[str, str]) -> Exclusion:
    ex = Exclusion()
    for term in _split(record["excludedCompanies"]):
        type_id = slugify(term)
        _add(ex.company_types, type_id)
        types.setdefault(type_id, term)
    for term in _split(record["excludedServices"]):
        for kind in _kinds_for_term(term):
            _add(ex.level_kinds, kind)
            if kind not in kinds:  # a class RDR names that our vocabulary lacks: declare it
                kinds[kind] = KindSpec(kind, term, "unit")
    return ex


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _flag(archive: Archive, record: Record, column: str) -> bool:
    value = record[column].strip().upper()
    if value not in ("TRUE", "FALSE"):
        raise archive.error(
            f"expected TRUE or FALSE in column '{column}', found '{record[column]}'", record.member, record.line
        )
    return value == "TRUE"


def read_methodology(archive: Archive) -> Methodology:
    kinds = {k.id: k for k in LEVEL_KINDS}
    types = dict(COMPANY_TYPE_LABELS)
    indicators = _read_indicators(archive, kinds, types)
    elements = _read_elements(archive, indicators, kinds, types)
    top = [ind for ind in indicators.values() if ind.parent is None]
    for family in (ind for ind in top if ind.is_family):
        _family_scope(family)
    for ind in indicators.values():
        if ind.is_family and not ind.subindicators:
            raise archive.error(f"indicator family {ind.id} has no sub-indicators")
        if not ind.is_family and not ind.elements:
            raise archive.error(f"indicator {ind.id} has no elements in {MEMBER_META_ELEMENTS}")
    categories = list(dict.fromkeys(ind.category for ind in top))
    return Methodology(categories, top, indicators, elements, kinds, types)


def _family_scope(family: Indicator) -> None:
    """Give a family the scope most of its members use; members then only state a different one.

    RDR sets scoring scopes on sub-indicators only, but hrdd wants one on every top-level
    indicator (sub-indicators inherit it), so the family takes its members' common scope.
    """
    scopes = [sub.scope for sub in family.subindicators if sub.scope]
    if family.scope is None and scopes:
        family.scope = max(dict.fromkeys(scopes), key=scopes.count)
    for sub in family.subindicators:
        if sub.scope == family.scope:
            sub.scope = None


def _read_indicators(archive: Archive, kinds: dict[str, KindSpec], types: dict[str, str]) -> dict[str, Indicator]:
    member = archive.require(MEMBER_META_INDICATORS)
    indicators: dict[str, Indicator] = {}
    families: dict[tuple[str, str], Indicator] = {}
    for rec in archive.records(member, COLUMNS_META_INDICATORS):
        ind_id = rec["Indicator"].strip()
        if not _ID_RE.match(ind_id) or ind_id in indicators:
            raise archive.error(f"bad or repeated indicator id '{ind_id}'", member, rec.line)
        is_family = _flag(archive, rec, "isParent")
        scope_word = rec["scoringScope"].strip()
        if not is_family and scope_word not in SCOPES:
            raise archive.error(f"unknown scoringScope '{scope_word}' (allowed: {', '.join(SCOPES)})", member, rec.line)
        indicator = Indicator(
            id=ind_id,
            category=rec["Category"].strip(),
            title=_text(rec["labelLong"]) or ind_id,
            standard=_text(rec["description"]),
            guidance=_text(rec["guidance"]),
            scope=SCOPES.get(scope_word),
            excluded=_exclusion(rec, kinds, types),
            is_family=is_family,
        )
        # A family and its members share category and number; the members carry a suffix.
        number = (indicator.category, rec["indicatorNr"].strip())
        if is_family:
            families[number] = indicator
        elif not is_na(rec["indicatorSuffix"]):
            family = families.get(number)
            if family is None:
                raise archive.error(
                    f"sub-indicator {ind_id} follows no family (isParent TRUE) with its number", member, rec.line
                )
            indicator.parent = family.id
            family.subindicators.append(indicator)
        indicators[ind_id] = indicator
    return indicators


def _read_elements(
    archive: Archive, indicators: dict[str, Indicator], kinds: dict[str, KindSpec], types: dict[str, str]
) -> dict[str, Element]:
    member = archive.require(MEMBER_META_ELEMENTS)
    elements: dict[str, Element] = {}
    for rec in archive.records(member, COLUMNS_META_ELEMENTS):
        el_id, ind_id = rec["Element"].strip(), rec["Indicator"].strip()
        if not _ID_RE.match(el_id) or el_id in elements:
            raise archive.error(f"bad or repeated element id '{el_id}'", member, rec.line)
        indicator = indicators.get(ind_id)
        if indicator is None or indicator.is_family:
            raise archive.error(f"element {el_id} names unknown or family indicator '{ind_id}'", member, rec.line)
        element = Element(
            el_id,
            ind_id,
            _text(rec["description"]) or el_id,
            _flag(archive, rec, "isReversedScoring"),
            _exclusion(rec, kinds, types),
        )
        indicator.elements.append(element)
        elements[el_id] = element
    return elements


# --- answers, levels and sources -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """One record of the element-scores file."""

    line: int
    company: str
    element: str
    indicator: str
    kind: str
    service: str
    answer: str
    comment: str
    score: str

    @property
    def level(self) -> tuple[str, str]:
        # A level is a class and a name: the name alone could repeat across classes.
        return (self.kind, self.service)


@dataclass(slots=True)
class Company:
    key: str
    label: str
    rdr_type: str
    type_id: str
    sector: str
    cycle: int
    answers: list[Answer] = field(default_factory=list)


def read_answers(archive: Archive, meth: Methodology) -> dict[str, Company]:
    member = archive.require(MEMBER_ELEMENT_SCORES)
    companies: dict[str, Company] = {}
    seen: dict[tuple[str, str, tuple[str, str]], Answer] = {}
    for rec in archive.records(member, COLUMNS_ELEMENT_SCORES):
        company = _company_for(archive, rec, companies)
        answer = _answer_for(archive, rec, meth)
        key = (answer.company, answer.element, answer.level)
        first = seen.setdefault(key, answer)
        if first is answer:
            company.answers.append(answer)
        elif (first.answer, first.comment) != (answer.answer, answer.comment):
            raise archive.error(
                f"a second, different answer for {answer.element} at '{answer.service}' of {answer.company} "
                f"(first on line {first.line})",
                member,
                rec.line,
            )
    if not companies:
        raise archive.error("no element answers", member)
    return companies


def _company_for(archive: Archive, rec: Record, companies: dict[str, Company]) -> Company:
    key = rec["Company"].strip()
    company = companies.get(key)
    if company is None:
        try:
            cycle = int(rec["Index"].strip())
        except ValueError:
            raise archive.error(
                f"expected a year in column 'Index', found '{rec['Index']}'", rec.member, rec.line
            ) from None
        rdr_type = " ".join(rec["CompanyType"].split())
        # An unknown type still scores right (every NA row is written as not_applicable);
        # it only cannot match the methodology's company-type exclusions.
        type_id, sector = COMPANY_TYPES.get(rdr_type.casefold(), (slugify(rdr_type) or "unknown", rdr_type))
        label = rec["CompanyLabel"].strip() or key
        company = companies[key] = Company(key, label, rdr_type, type_id, sector, cycle)
    return company


def _answer_for(archive: Archive, rec: Record, meth: Methodology) -> Answer:
    result = " ".join(rec["Result"].split()).casefold()
    if result not in RESULT_TO_ANSWER:
        raise archive.error(
            f"unknown answer '{rec['Result']}' in column 'Result' (allowed: {RESULT_SPELLINGS})", rec.member, rec.line
        )
    element = rec["Element"].strip()
    if element not in meth.elements:
        raise archive.error(f"unknown element '{element}' (not in {MEMBER_META_ELEMENTS})", rec.member, rec.line)
    kind = _kind_id(rec["Class"])
    if kind not in meth.kinds:
        # A service class our vocabulary lacks: declare it on the side RDR's Branch column says.
        side = "company" if rec["Branch"].strip().casefold() == "company" else "unit"
        meth.kinds[kind] = KindSpec(kind, rec["Class"].strip(), side)
    comment = _text(rec["Comment"])
    return Answer(
        line=rec.line,
        company=rec["Company"].strip(),
        element=element,
        indicator=meth.elements[element].indicator,
        kind=kind,
        service=rec["Service"].strip(),
        answer=RESULT_TO_ANSWER[result],
        comment="" if comment == "NA" else comment,  # RDR's empty marker; "N/A" is a researcher's word
        score=rec["Score"].strip(),
    )


RefKey = tuple[str, str, tuple[str, str]]
"""Company, indicator, level (class and name): where RDR lists the sources it used."""


def read_source_refs(archive: Archive) -> dict[RefKey, list[str]]:
    """Source numbers RDR lists per company, indicator and level (``"2; 18"``)."""
    member = archive.require(MEMBER_LEVEL_SCORES)
    refs: dict[RefKey, list[str]] = {}
    for rec in archive.records(member, COLUMNS_LEVEL_SCORES):
        tokens = [] if is_na(rec["SourceRefs"]) else [t.strip() for t in rec["SourceRefs"].split(";")]
        key = (rec["Company"].strip(), rec["Indicator"].strip(), (_kind_id(rec["Class"]), rec["Service"].strip()))
        refs[key] = [t for t in dict.fromkeys(tokens) if t]
    return refs


@dataclass(slots=True)
class Sources:
    entries: list[dict[str, str]] = field(default_factory=list)
    by_number: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _SourceStats:
    """What had to be adjusted in one company's source list, for the notes."""

    no_url: list[str] = field(default_factory=list)
    unnumbered: int = 0
    undated: dict[str, int] = field(default_factory=dict)
    contradictory: list[str] = field(default_factory=list)

    def notes(self, member: str) -> list[str]:
        notes = []
        if self.no_url:
            notes.append(
                f"{member}: {len(self.no_url)} source row(s) without an http(s) URL left out "
                f"(lines {', '.join(self.no_url)})"
            )
        if self.unnumbered:
            notes.append(
                f"{member}: {self.unnumbered} source(s) without a SourceNr, so no answer can cite them; "
                "their ids are their CSV line numbers"
            )
        if self.undated:
            examples = ", ".join(f"'{v}'" for v in list(self.undated)[:4])
            notes.append(
                f"{member}: {sum(self.undated.values())} source(s) without a YYYY-MM-DD document date "
                f"(e.g. {examples}): document_date left out"
            )
        if self.contradictory:
            notes.append(
                f"{member}: document date after the date accessed on line(s) "
                f"{', '.join(self.contradictory)}; both dates left out"
            )
        return notes


def read_sources(archive: Archive, company: Company) -> Sources:
    sources = Sources()
    member = archive.sources_member(company.key) or archive.sources_member(company.label)
    if member is None:
        sources.notes.append(f"no company-sources/*-{company.key}{SOURCES_SUFFIX} in the zip; no sources")
        return sources
    seen: set[tuple[str, ...]] = set()
    stats = _SourceStats()
    for rec in archive.records(member, COLUMNS_SOURCES):
        entry = _source_entry(rec, stats)
        number = rec["SourceNr"].strip()
        fingerprint = (number, *entry.values()) if entry else ()
        if entry is None or fingerprint in seen:  # the same row twice is listed once
            continue
        seen.add(fingerprint)
        source_id = _source_id(number, rec.line, sources.by_number)
        if is_na(number):
            stats.unnumbered += 1
        else:
            sources.by_number.setdefault(number, []).append(source_id)
        sources.entries.append({"id": source_id, **entry})
    sources.notes.extend(stats.notes(member))
    return sources


def _source_entry(rec: Record, stats: _SourceStats) -> dict[str, str] | None:
    url, archive_url = http_url(rec["URL"]), http_url(rec["Saved Source link"])
    # A document without a public URL but with an archived copy is still checkable there.
    url, archive_url = (url, archive_url) if url else (archive_url, None)
    if not url:
        stats.no_url.append(str(rec.line))
        return None
    title = " ".join(rec["DocumentTitle"].split())
    title = url if is_na(title) else title
    entry = {"url": url, "title": title[: MAX_TITLE - 1] + "…" if len(title) > MAX_TITLE else title}
    document_date, accessed = _date(rec["DocumentDate"]), _date(rec["DateAccessed"])
    # A document cannot be consulted before it was written; when RDR's two dates say so, one
    # of them is a typo and we cannot tell which, so neither is kept.
    if document_date and accessed and document_date > accessed:
        stats.contradictory.append(str(rec.line))
    else:
        entry |= {"document_date": document_date} if document_date else {}
        entry |= {"accessed": accessed} if accessed else {}
    if not document_date:
        raw = rec["DocumentDate"].strip()
        stats.undated[raw] = stats.undated.get(raw, 0) + 1
    if archive_url and archive_url != url:
        entry["archive_url"] = archive_url
    return entry


def _source_id(number: str, line: int, by_number: Mapping[str, list[str]]) -> str:
    # RDR numbers sources; evidence refers to the number. Rows without a usable number keep
    # their CSV line, and a number used for two different documents gets a suffix.
    if number and not is_na(number) and _ID_RE.match(number):
        taken = by_number.get(number, [])
        return f"s{number}" if not taken else f"s{number}-{len(taken) + 1}"
    return f"line{line}"


def _date(value: str) -> str | None:
    value = value.strip()
    if not _DATE_RE.match(value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return None
    return value


# --- reconciling the metadata with the data ---------------------------------------------------


def lift_contradicted_exclusions(meth: Methodology, companies: Mapping[str, Company], member: str) -> list[str]:
    """Drop exclusions that RDR's own published answers contradict.

    RDR's published scores count every answer it published. Where the metadata excludes an
    element for a company type or level kind but the data answers it there (yes, partial, no,
    no disclosure found), the scores were computed with that answer, so the exclusion must go
    for hrdd to accept the answer and reproduce the score.
    """
    lifted: dict[tuple[str, str], str] = {}
    for company in companies.values():
        for ans in company.answers:
            if ans.answer == NOT_APPLICABLE:
                continue
            element = meth.elements[ans.element]
            side = meth.kinds[ans.kind].side
            scope = meth.scope(element)
            if scope != "both" and (scope == "company") != (side == "company"):
                continue  # off-scope answers are not scored; reported when writing
            for ex, owner in zip(meth.chain(element), _chain_ids(meth, element), strict=True):
                for values, what in ((ex.company_types, company.type_id), (ex.level_kinds, ans.kind)):
                    if what in values:
                        values.remove(what)
                        lifted[(owner, what)] = f"{company.label} at {ans.service}, {member} line {ans.line}"
    return [
        f"{owner}: RDR's metadata excludes '{what}', but the published data answers it "
        f"({example}); exclusion dropped so the published scores are reproduced"
        for (owner, what), example in lifted.items()
    ]


def _chain_ids(meth: Methodology, element: Element) -> list[str]:
    indicator = meth.by_id[element.indicator]
    ids = [element.id, indicator.id]
    if indicator.parent is not None:
        ids.append(indicator.parent)
    return ids
