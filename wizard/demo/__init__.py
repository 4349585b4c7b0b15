"""Provides the blast-radius demo: where could a package's install-time code reach under each approach, here?

A harmless source package, the canary, is installed with pip under each approach available on this machine; its
build step — where a real package's setup.py would run — only looks (who it runs as; which sensitive places it could
write or read) and then stops the build on purpose, so nothing is installed. The result sets what the sources
predict for this machine against what the canary saw. Nothing here imports a user-interface library.
"""

from __future__ import annotations

from wizard.demo.model import DemoError, DemoResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


def run(
    python: str | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> DemoResult:
    """Runs the demo here (see :func:`wizard.demo.runner.run`)."""
    from wizard.demo.runner import run as run_demo

    return run_demo(python, on_progress, cancel)


def load(path: str) -> DemoResult:
    """A result saved with `demo --json` (raises DemoError naming the file when it cannot be read)."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise DemoError(f"cannot read {path}: {exc.strerror}", hint="check the file name", ref="demo-json") from None
    except ValueError as exc:
        raise DemoError(
            f"{path} is not JSON: {exc}",
            hint="save a result with `pip-setup-wizard demo --json > FILE`",
            ref="demo-json",
        ) from None
    if not isinstance(data, dict):
        raise DemoError(f"{path} is not a result saved with `demo --json`", ref="demo-json")
    try:
        return DemoResult.from_dict(data)
    except DemoError as err:
        raise DemoError(f"{path}: {err.message}", hint=err.hint, ref=err.ref) from None


__all__ = ["DemoError", "DemoResult", "load", "run"]
