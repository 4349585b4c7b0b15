"""The safety rules on their own: names, paths, targets (including what the sandbox cannot set up)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.fixtures import machines as m
from wizard import safety
from wizard.errors import WizardError


@pytest.mark.parametrize("name", ["pipinstall", "_pip", "pip-user2", "p" * 31])
def test_good_names(name: str) -> None:
    safety.check_user_name(name)


@pytest.mark.parametrize("name", ["", "root2\x00", "a\nb", "Pip", "1pip", "-rf", "p" * 32, "pîp", "a b", "a:b"])
def test_bad_names(name: str) -> None:
    with pytest.raises(WizardError) as err:
        safety.check_user_name(name)
    assert err.value.context == "Nothing was changed." and err.value.hint


def test_pip_user_rules() -> None:
    with pytest.raises(WizardError, match="cannot be root"):
        safety.check_pip_user("root", (0, "root"), False)
    with pytest.raises(WizardError, match="uid 0"):
        safety.check_pip_user("toor", (0, "service"), True)
    with pytest.raises(WizardError, match="person's account"):
        safety.check_pip_user("alice", (1000, "human"), False)
    with pytest.raises(WizardError, match="not created by pip-setup-wizard"):
        safety.check_pip_user("daemon", (1, "service"), False)
    safety.check_pip_user("pipinstall", (998, "service"), True)
    safety.check_pip_user("pipinstall", None, False)


@pytest.mark.parametrize("path", ["/a/b\x00c", "/a/b\nc"])
def test_nul_and_newline_in_paths(path: str) -> None:
    with pytest.raises(WizardError, match="control character"):
        safety.check_absolute(path, "target path")


def test_distro_scheme_under_a_marker_is_refused() -> None:
    """BAD_INPUTS row 21: pip's target is the distribution's own directory on a PEP 668 interpreter."""
    python = m.debian_python(pip_target=("/usr/lib/python3/dist-packages",))
    state = m.debian(python=python)
    with pytest.raises(WizardError, match="marked externally managed") as err:
        safety.target_trees(python, state)
    assert "virtualenv" in (err.value.hint or "")


def test_targets_are_exactly_what_the_interpreter_reports() -> None:
    state = m.debian_none()
    python = state.interpreters[0]
    assert safety.target_trees(python, state) == (m.DEBIAN_TARGET,)
    assert safety.target_trees(python, state, m.DEBIAN_TARGET + "/") == (m.DEBIAN_TARGET,)
    with pytest.raises(WizardError, match="standard library"):
        safety.target_trees(python, state, "/usr/lib/python3.11/lib-dynload")


def test_symlinked_target_whose_real_path_is_reported_qualifies() -> None:
    real = "/usr/local/lib64/python3.11/site-packages"
    python = m.debian_python(pip_target=(m.DEBIAN_TARGET, real))
    link = m.pinfo(m.DEBIAN_TARGET, type="symlink", realpath=real, writers=())
    state = replace(m.debian(python=python, target=link, extra_paths=(m.pinfo(real),)))
    assert safety.target_trees(python, state) == (m.DEBIAN_TARGET, real)


def test_venv_path_rules(tmp_path: Path) -> None:
    import shutil
    import tempfile

    state = m.debian_none()
    python = state.interpreters[0]
    with pytest.raises(WizardError, match="which every user can write"):
        safety.check_venv_path(str(tmp_path / "new"), state, python)  # pytest's tmp is under /tmp
    # a folder nobody else can write, wherever the checkout is (a clone under /tmp would be refused itself)
    cache = Path.home() / ".cache" / "pip-setup-wizard-tests"
    cache.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(dir=cache))
    try:
        base.chmod(0o755)
        assert safety.check_venv_path(str(base / "new"), state, python) == "create"
        same = base / "same"
        same.mkdir()
        (same / "pyvenv.cfg").write_text("home = /usr/bin\n")
        assert safety.check_venv_path(str(same), state, python) == "exists"
    finally:
        shutil.rmtree(base)
    with pytest.raises(WizardError, match="venv path 'rel' is relative"):
        safety.check_venv_path("rel", state, python)
