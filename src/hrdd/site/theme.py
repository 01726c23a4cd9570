"""hrdd's own theme layer on top of Material: template overrides, CSS and JavaScript.

They ship inside the package (``src/hrdd/site/theme/``), so any scorecard project, an NGO's
repository with hrdd installed from PyPI or the RDR example in this one, gets them without
copying files. A project may still set ``theme.custom_dir`` in its ``mkdocs.yml``: its files
are laid over hrdd's in a merged folder under ``.hrdd-cache/theme``, so the project's
overrides win and hrdd's fill the rest. The merged folder and the stylesheet and script are
passed to MkDocs as configuration overrides, the same way for ``build``, ``publish`` and
``serve``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

PACKAGE_THEME = Path(__file__).parent / "theme"
CSS = "assets/hrdd/scorecard.css"
JS = "assets/hrdd/scorecard.js"
ICONS = "assets/hrdd/icons.svg"
"""The icons of the page chrome, rendered once per build from the theme settings (a MkDocs static
template: see the file and partials/hrdd-icon.html)."""


def user_theme(config_file: Path) -> tuple[dict[str, Any], Path | None, list[Any], list[Any]]:
    """The project's theme settings, its custom_dir (absolute), extra_css and extra_javascript."""
    with config_file.open(encoding="utf-8") as handle:
        raw = yaml_load(handle) or {}  # MkDocs' own loader: handles INHERIT and !ENV like MkDocs
    theme = raw.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    custom = theme.pop("custom_dir", None)
    custom_dir = (config_file.parent / custom).resolve() if custom else None
    return theme, custom_dir, list(raw.get("extra_css") or []), list(raw.get("extra_javascript") or [])


def theme_overrides(config_file: Path, cache: Path) -> dict[str, Any]:
    """MkDocs configuration overrides that add hrdd's theme layer to a project's site."""
    theme, custom_dir, extra_css, extra_js = user_theme(config_file)
    merged = cache / "theme"
    if merged.exists():
        shutil.rmtree(merged)
    shutil.copytree(PACKAGE_THEME, merged)
    if custom_dir is not None and custom_dir.is_dir():
        shutil.copytree(custom_dir, merged, dirs_exist_ok=True)
    theme["custom_dir"] = str(merged.resolve())  # MkDocs resolves relative paths against mkdocs.yml
    theme["static_templates"] = [*(t for t in theme.get("static_templates") or [] if t != ICONS), ICONS]
    return {
        "theme": theme,
        "extra_css": [CSS, *(c for c in extra_css if c != CSS)],
        "extra_javascript": [JS, *(j for j in extra_js if j != JS)],
    }


def project_templates(config_file: Path) -> str:
    """The project's ``theme.custom_dir`` as ``Site.theme_dir`` wants it: where its page templates
    (``hrdd/*.html``) override hrdd's; "" when it has none."""
    if not config_file.is_file():
        return ""
    custom_dir = user_theme(config_file)[1]
    return str(custom_dir) if custom_dir is not None and custom_dir.is_dir() else ""
