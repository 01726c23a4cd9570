"""The fast way templates print values (hrdd.site.jinja_private) prints exactly what Jinja2's own
escaping prints, and says when the installed Jinja2 is not the one it was written for."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from markupsafe import Markup

from hrdd.site import collect, jinja_private, templates
from hrdd.site.render import Site, record_pages, render_pages
from hrdd.validate import Validator
from tests.conftest import REPO
from tests.site.conftest import HOSTILE_NAME, HOSTILE_TEXT, make_project


@pytest.fixture
def fresh_templates() -> Iterator[None]:
    """Environments and templates made anew in the test, and again after it."""
    templates.environment.cache_clear()
    templates.template.cache_clear()
    yield
    templates.environment.cache_clear()
    templates.template.cache_clear()


def _company_pages(project: Path) -> dict[str, str]:
    validator = Validator(project / "frameworks", project / "assessments")
    report = validator.check_paths([project / "frameworks", project / "assessments"])
    assert report.ok, report.problems
    frameworks = [f.framework for f in report.files if f.framework is not None and f.kind == "framework"]
    card = collect(report.assessments(), frameworks)
    site = Site(card=card, site_name="Test")
    wanted = {path for record in card.companies for path in record_pages(record)}
    return {p.path: p.text for p in render_pages(site) if p.path in wanted}


@pytest.mark.usefixtures("fresh_templates")
@pytest.mark.parametrize("which", ["hostile", "demo"])
def test_the_fast_and_the_plain_environment_print_the_same_company_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    """Every company page (latest and earlier cycles) of the site tests' project with hostile
    text, and of the bundled demo, is the same character for character whether values are
    printed by jinja_private or by Jinja2's escape (what hrdd falls back to with another Jinja2)."""
    project = make_project(tmp_path / "project") if which == "hostile" else REPO
    assert templates.environment().code_generator_class is jinja_private.CodeGenerator
    fast = _company_pages(project)
    monkeypatch.setattr(jinja_private, "usable", lambda: False)
    templates.environment.cache_clear()
    templates.template.cache_clear()
    assert templates.environment().code_generator_class is not jinja_private.CodeGenerator
    plain = _company_pages(project)
    assert len(fast) >= 3 and fast.keys() == plain.keys()
    for path, text in fast.items():
        assert text == plain[path], path
    if which == "hostile":
        page = fast["companies/hostile-co/index.md"]
        assert HOSTILE_NAME not in page and HOSTILE_TEXT not in page and "<script>" not in page


def test_a_value_is_printed_as_jinja2s_escape_and_hrdds_finalize_print_it() -> None:
    """Text, quotes, whitespace, markup, numbers and a None print the same from both environments."""
    source = '<p title="{{ v }}">{{ v }}</p>{{ m }}{{ d }}{{ n }}{{ i }}{{ m ~ v }}{{ [v, m]|join(" ") }}'
    values = {
        "v": "a \"b\"\n\n 'c' <d> &amp;",
        "m": Markup("<b>safe</b>"),
        "d": Decimal("1.50"),
        "n": None,
        "i": 7,
    }
    fast = templates.environment("", "").from_string(source).render(values)
    plain = templates.environment("", "", plain=True).from_string(source).render(values)
    assert fast == plain
    assert fast.startswith('<p title="a &quot;b&quot; &#x27;c&#x27; &lt;d&gt; &amp;amp;">')
    assert "<b>safe</b>1.50None7" in fast


def test_the_compiled_templates_print_through_finalize_alone() -> None:
    """The fast environment's compiled code prints a value through escape_text or
    environment.finalize, not escape."""
    env = templates.environment("", "")
    code = env.compile("{{ v }}", raw=True).split("def root", 1)[1]
    assert "environment.hrdd_escape_text(" in code and "environment.finalize(" in code and "escape(" not in code


def test_the_installed_jinja2_has_the_code_generator_hrdd_was_written_for() -> None:
    found = jinja_private.problems()
    assert found == [], (
        "hrdd.site.jinja_private relies on Jinja2's code generator hooks, which changed "
        "(templates print through Jinja2's own escape meanwhile):\n" + "\n".join(found)
    )
    assert jinja_private.usable()


def test_another_jinja2_version_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jinja_private, "_version", lambda name: "3.2.0")
    assert jinja_private.problems() == [
        "jinja2 3.2.0 is installed, but hrdd.site.jinja_private was written against jinja2 3.1.x; "
        "read the new version's code generator (jinja2.compiler.CodeGenerator.visit_Output) and "
        "update the module and PINNED"
    ]
