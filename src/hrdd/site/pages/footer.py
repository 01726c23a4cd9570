"""The footer line every page shows (MkDocs' ``copyright``), as a view model for
``hrdd/footer_credit.html``."""

from __future__ import annotations

from dataclasses import dataclass

from hrdd.site import Scorecard


@dataclass(frozen=True, slots=True)
class Attribution:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class FooterCredit:
    copyright: str
    """``copyright`` of mkdocs.yml, which the template writes first, as it is (below)."""
    attributions: list[Attribution]
    """Each framework's required attribution, once each."""


def footer_credit(card: Scorecard, project_copyright: str | None) -> FooterCredit:
    seen: list[Attribution] = []
    for fw in card.shown_frameworks():
        if fw.attribution_text and all(a.text != fw.attribution_text for a in seen):
            seen.append(Attribution(fw.attribution_text, fw.attribution_url or ""))
    return FooterCredit(project_copyright or "", seen)
