"""``hrdd import rdr``: recognise which of RDR's datasets a zip is, and import it.

The 2020-methodology dataset (2022) is read by ``rdr``; the 2019 Index's download by
``rdr2019``, which builds on ``rdr`` and also needs RDR's indicator pages. Choosing between them
lives here, above both, so that neither imports the other back.
"""

from __future__ import annotations

from pathlib import Path

from hrdd.importers import rdr, rdr2019, rdr2019_read
from hrdd.importers.rdr_common import ImportResult, open_zip


def import_rdr(
    zip_path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    pages_dir: Path | None = None,
    identities: Path | None = None,
    narratives: Path | None = None,
) -> ImportResult:
    """Read RDR's public CSV zip and write the framework and one assessment per company.

    The layout is recognised by the files' columns: the 2020-methodology dataset (2022) is read
    by ``rdr``; the 2019 Index's download by ``rdr2019``, which also needs RDR's indicator pages
    (``pages_dir``, by default ``indicators/`` beside the zip). ``identities`` is a company
    identity map (``rdr_editions.read_identities``): the slug each named company is written under.
    ``narratives``: RDR's per-company texts for the 2022 dataset (``rdr.import_rdr2020``).

    Raises ``RdrImportError`` when the zip is not in RDR's format and ``UsageError`` when a
    file would be overwritten without ``force``. Nothing is written unless everything is read.
    """
    with open_zip(zip_path) as zf:
        layout_2019 = rdr2019_read.recognises(zf)
    if layout_2019:
        return rdr2019.import_rdr2019(zip_path, out_dir, force=force, pages_dir=pages_dir, identities=identities)
    return rdr.import_rdr2020(zip_path, out_dir, force=force, identities=identities, narratives=narratives)
