"""The values ``hrdd new`` writes where it does not know the answer, and the check that refuses
them in anything but a draft: one list, shared by the scaffold (``hrdd.scaffold``) and the
validator (``hrdd.validate``), so that whatever the scaffold writes as a stand-in cannot be
submitted or published as if it were a fact.
"""

from __future__ import annotations

from collections.abc import Iterator

from hrdd.models import Assessment

SECTOR = "Not yet stated"
COUNTRY = "ZZ"
"""ISO 3166's code for an unknown country: importers write it too (``hrdd.importers.rdr`` for a
company missing from its list), and validation refuses it in a published file all the same."""
ASSESSOR = "Name of the assessing organisation"

FIELDS: dict[tuple[str, str], str] = {
    ("company", "sector"): SECTOR,
    ("company", "country"): COUNTRY,
    ("assessor", "name"): ASSESSOR,
}
"""(section, field) -> the placeholder ``hrdd new`` writes there when it is not told the value."""

REPOSITORY = "https://github.com/OWNER/SCORECARD"
"""The scorecard repository's address in the demo's mkdocs.yml (``repo_url``) and in the pages
and guides that show it; ``hrdd build`` puts a scorecard's own ``repo_url`` in its place."""

PREFILLED = "TO CONFIRM:"
"""How the comment of an answer that ``hrdd new --prefill`` copied from the independent
assessment begins, until the company confirms or contests it."""

PREFILLED_COMMENT = (
    f"{PREFILLED} copied from the independent assessment. Confirm it (replace this comment with your own) "
    "or contest it (change the answer and say why)."
)


def placeholder_problems(assessment: Assessment) -> Iterator[tuple[tuple[str, ...], str]]:
    """(where, message) for every placeholder left in an assessment that is not a draft."""
    if assessment.status == "draft":
        return
    sections = {"company": assessment.company, "assessor": assessment.assessor}
    for (section, name), placeholder in FIELDS.items():
        if getattr(sections[section], name) == placeholder:
            yield (
                (section, name),
                f"{section}.{name} is {placeholder!r}, the placeholder for a value not known yet (hrdd new "
                f"writes it); give the real value (only a draft may keep it)",
            )
    for element_id, by_level in assessment.answers.items():
        for level_id, answer in by_level.items():
            if answer.comment.lstrip().startswith(PREFILLED):
                yield (
                    ("answers", element_id, level_id, "comment"),
                    f"element {element_id}: the answer at level {level_id!r} was copied from the independent "
                    f"assessment and is not yet confirmed or contested; replace the comment with your own "
                    f"(only a draft may keep it)",
                )
