"""The teaching content: schema, citations, risks explained, every source post used, nothing copied."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.fixtures import machines as m
from wizard import texts
from wizard.diagnose import diagnose

ROOT = Path(__file__).resolve().parents[2]
SOURCES_DIR = ROOT.parent / "shared" / "sources"
RUN = 10


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)?", text.lower().replace("’", "'"))


def shingles(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def test_all_content_loads() -> None:
    approaches = texts.approaches()
    assert list(approaches) == ["sudo-pip", "pip-user", "own-site", "virtualenv"]
    assert [a.number for a in approaches.values()] == [1, 2, 3, 4]
    topics = texts.topics()
    for needed in (
        "pep-668",
        "distro-layouts",
        "install-time-code",
        "pth-startup-hooks",
        "sudo-environment",
        "apps-pipx-uv",
        "glossary",
    ):
        assert needed in topics, needed


def test_every_risk_is_explained_cited_and_unique() -> None:
    seen: set[str] = set()
    for approach in texts.approaches().values():
        assert approach.risks and approach.benefits
        for risk in approach.risks:
            assert risk.id not in seen
            seen.add(risk.id)
            assert len(risk.explanation.split()) >= 25, risk.id
            assert risk.cite and all(texts.resolve(c) for c in risk.cite)
            assert risk.who and risk.likelihood, "each risk says for whom and how likely"
        for benefit in approach.benefits:
            assert benefit.cite and len(benefit.explanation.split()) >= 10


def test_every_source_post_is_used() -> None:
    cited: set[str] = set()
    for approach in texts.approaches().values():
        cited.update(approach.cite)
        for item in (*approach.risks, *approach.benefits, *approach.views):
            cited.update(item.cite)
    for topic in texts.topics().values():
        cited.update(topic.cite)
    for key in ("so-secure-pip", "so-sudo-pip-risks"):
        for part in texts.sources()[key]["parts"]:
            assert f"{key}#{part}" in cited, f"{key}#{part} is never cited"


def test_dissenting_views_are_presented_with_answers() -> None:
    views = {v.id: v for a in texts.approaches().values() for v in a.views}
    assert "trusted-packages-are-like-other-programs" in views  # accepted answer: sudo pip for known packages
    assert "maintenance-needs-root-anyway" in views  # fourth answer of the risks thread
    for view in views.values():
        assert len(view.claim.split()) >= 12 and len(view.response.split()) >= 20


def test_outdated_points_say_what_holds_today() -> None:
    risks = {r.id: r for a in texts.approaches().values() for r in a.risks}
    today = risks["plain-http-downloads"].today or ""
    assert "1.3" in today and "10.0" in today  # HTTPS by default; --allow-external removed
    assert "PEP 668" in (risks["sudo-pip-breaks-distro"].today or "")


def test_check_questions() -> None:
    for approach in texts.approaches().values():
        check = approach.check
        assert len(check.choices) >= 3 and 0 <= check.answer < len(check.choices)
        assert check.explanation


def test_finding_citations_resolve() -> None:
    for factory in m.ALL.values():
        for finding in diagnose(factory()).findings:
            for citation in finding.cite:
                assert texts.resolve(citation), (finding.id, citation)
    rules = "".join(p.read_text() for p in (ROOT / "wizard" / "diagnose").glob("rules_*.py"))
    for block in re.findall(r"cite=\(([^)]*)\)", rules):
        for citation in re.findall(r'"([^"]+)"', block):
            assert texts.resolve(citation), citation


def content_files() -> list[Path]:
    return sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "wizard" / "diagnose").glob("rules_*.py"))


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.name)
def test_nothing_is_copied_from_the_source_threads(path: Path) -> None:
    if not SOURCES_DIR.is_dir():
        pytest.skip("../shared/sources is not present")
    source = set()
    for f in SOURCES_DIR.glob("*.txt"):
        source |= shingles(f.read_text())
    copied = shingles(path.read_text()) & source
    assert not copied, [" ".join(c) for c in sorted(copied)][:5]


def test_the_copy_check_catches_a_copied_sentence() -> None:
    if not SOURCES_DIR.is_dir():
        pytest.skip("../shared/sources is not present")
    source = set()
    for f in SOURCES_DIR.glob("*.txt"):
        source |= shingles(f.read_text())
    copied = "When you run pip with sudo, you run setup.py with sudo. In other words"
    assert shingles(copied) & source
    assert not shingles("Under sudo, pip runs the package's build code as root.") & source


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no front matter\n", "does not start with"),
        ("+++\nid = 'sudo-pip'\n", "not closed"),
        ("+++\nid = = 1\n+++\nbody\n", "not valid TOML"),
        ("+++\nid = 'sudo-pip'\nkind = 'approach'\n+++\nbody\n", "missing key number"),
        ("+++\nid = 'nope'\n+++\nbody\n", "is not one of"),
    ],
)
def test_schema_errors_name_the_file_and_the_problem(text: str, problem: str) -> None:
    with pytest.raises(texts.ContentError) as err:
        texts.parse_approach("approaches/x.md", text)
    assert "approaches/x.md" in err.value.message and problem in err.value.message


def test_a_citation_that_does_not_resolve_is_rejected() -> None:
    good = (ROOT / "content" / "approaches" / "virtualenv.md").read_text()
    bad = good.replace('cite = ["python-venv"]', 'cite = ["no-such-source#x"]', 1)
    assert bad != good
    with pytest.raises(texts.ContentError, match="does not resolve"):
        texts.parse_approach("virtualenv.md", bad)


def test_missing_section_is_rejected() -> None:
    good = (ROOT / "content" / "approaches" / "own-site.md").read_text()
    with pytest.raises(texts.ContentError, match="How to undo it"):
        texts.parse_approach("own-site.md", good.replace("## How to undo it", "## Undo"))
