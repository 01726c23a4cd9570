"""How a ranking moved since the previous edition, and averages of a group of scores. Pure.

A ranking is a list of places (a company, its score and the framework version it was scored on)
in ranked order. Against the previous edition's ranking of the same scope, each company gets its
rank then and now and the change of both; a company that was not ranked then is new. A score
change is given only between scores of the same framework version: totals of different versions
do not compare (``hrdd.history``), so those are left without one rather than subtracted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hrdd.sectors import competition_ranks


@dataclass(frozen=True, slots=True)
class Place:
    """A company in a ranking: ``value`` is the score it is ranked on (None: unranked, last)."""

    slug: str
    value: Decimal | None
    framework: str
    """The key of the framework version the score is on."""


@dataclass(frozen=True, slots=True)
class Movement:
    """A company's place now against its place in the previous edition's ranking."""

    rank: int | None
    new: bool
    """Not in the previous edition's ranking."""
    previous_rank: int | None
    rank_change: int | None
    """Places gained (positive: up the ranking); None when either rank is missing."""
    previous_value: Decimal | None
    value_change: Decimal | None
    """The score now minus the score then; None when either is missing or the framework
    versions differ."""
    comparable: bool
    """Both scores are on the same framework version."""


def ranked_places(places: Sequence[Place]) -> dict[str, int | None]:
    """Competition ranks (1, 2, 2, 4) of places already in ranked order, by company."""
    return dict(zip((p.slug for p in places), competition_ranks([p.value for p in places]), strict=True))


def movements(now: Sequence[Place], before: Sequence[Sequence[Place]] | None) -> dict[str, Movement]:
    """Every company of ``now`` (in ranked order) against the previous edition's rankings of the
    same scope (``before``: each in ranked order; several when that edition ranked framework
    versions apart; a company is in one at most). None when there is no previous ranking to
    compare with: nobody is new then, there is nothing to be new against."""
    ranks_now = ranked_places(now)
    previous: dict[str, tuple[Place, int | None]] = {}
    for ranking in before or ():
        ranks_then = ranked_places(ranking)
        previous.update((p.slug, (p, ranks_then[p.slug])) for p in ranking)
    out = {}
    for place in now:
        rank = ranks_now[place.slug]
        found = previous.get(place.slug)
        if found is None:
            out[place.slug] = Movement(rank, before is not None, None, None, None, None, False)
            continue
        then, previous_rank = found
        comparable = then.framework == place.framework
        out[place.slug] = Movement(
            rank=rank,
            new=False,
            previous_rank=previous_rank,
            rank_change=None if rank is None or previous_rank is None else previous_rank - rank,
            previous_value=then.value,
            value_change=(
                place.value - then.value if comparable and place.value is not None and then.value is not None else None
            ),
            comparable=comparable,
        )
    return out


def average(values: Iterable[Decimal | None], decimals: int) -> Decimal | None:
    """The mean of the values there are, rounded half up to ``decimals`` places; None without any."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    mean = sum(known, Decimal(0)) / len(known)
    return mean.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
