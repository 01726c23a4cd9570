"""The staged tree as a site on its own: the configuration that builds it without hrdd.

``hrdd build --no-split`` stages every page whole, with the data files, in ``.hrdd-cache/docs``,
and hrdd's theme layer in ``.hrdd-cache/theme``. ``write_config`` writes
``.hrdd-cache/mkdocs.yml`` beside them: the project's ``mkdocs.yml`` with what hrdd sets at build
time (the staged docs, the theme layer, the footer credit, the edition). So the folder builds
into the same pages (but for the whitespace hrdd compacts: ``hrdd.site.compact``) with
``mkdocs build -f .hrdd-cache/mkdocs.yml`` or with another engine that
reads ``mkdocs.yml`` (Zensical: tests/site/test_zensical.py), and into ``.hrdd-cache/site``
by default (Zensical wants the site inside the folder of its configuration).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from hrdd.errors import BuildError

CONFIG = "mkdocs.yml"
"""The staged tree's configuration, in the folder that holds the stage (``.hrdd-cache``)."""


def write_config(
    config_file: Path, stage: Path, overrides: dict[str, Any], *, copyright: str, extra: dict[str, Any]
) -> Path:
    """Write the configuration of the staged tree ``stage`` beside it; returns its path.

    ``overrides``: hrdd's theme layer (``hrdd.site.theme.theme_overrides``); ``copyright`` and
    ``extra``: what the build sets (the credit, the edition). Raises ``BuildError`` when the
    project's configuration holds what plain YAML cannot say (a Python object tag)."""
    with config_file.open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml_load(handle) or {}  # MkDocs' loader: INHERIT and !ENV resolved
    raw.pop("INHERIT", None)
    folder = stage.parent
    theme = dict(overrides["theme"])
    if "custom_dir" in theme:
        theme["custom_dir"] = os.path.relpath(theme["custom_dir"], folder)
    raw.update(
        docs_dir=os.path.relpath(stage, folder),
        site_dir="site",
        theme=theme,
        extra_css=overrides["extra_css"],
        extra_javascript=overrides["extra_javascript"],
        copyright=copyright,
        extra=extra,
    )
    target = folder / CONFIG
    try:
        text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError as exc:
        raise BuildError(f"{config_file} holds a value plain YAML cannot write for the staged tree: {exc}") from exc
    target.write_text(
        "# Written by hrdd build --no-split: the staged tree's own configuration (see hrdd.site.staged).\n"
        "# Build it with `mkdocs build -f .hrdd-cache/mkdocs.yml`; edit the project's mkdocs.yml, not this.\n" + text,
        encoding="utf-8",
    )
    return target
