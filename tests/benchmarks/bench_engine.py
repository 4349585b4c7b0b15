"""Benchmark: planning and applying against baselines, side by side in one run, reported as ratios.

    python tests/benchmarks/bench_engine.py [--runs 11]      (as root: it works inside the test sandbox)

It installs the checkout the way a user gets it (a built wheel installed by pip into a fresh venv, so bytecode is
compiled; its libraries come from the running environment), starts a sandbox (a private mount namespace over
copies of /etc, /home, ...: nothing on this machine changes) with the person alice and uv in /usr/local/bin,
and alternates each command with its baseline so machine noise hits both alike. The wizard runs as `sudo` gives
it (root, SUDO_USER=alice). Targets of issue 4:

- `plan APPROACH` (each of the four)        ≤ 1.5 × `detect --json`   (planning adds little to detection);
  also `plan APPROACH --json`, which like `detect --json` draws nothing (no rich)
- `apply virtualenv` with uv available      ≤ 0.2 × `/usr/bin/python3 -m venv DIR` (with pip, as alice)
- `apply virtualenv --no-uv`                ≤ 1.1 × `/usr/bin/python3 -m venv DIR`

Each apply is undone (untimed) before the next, so every timed apply starts from the same machine; the baseline's
venv is removed (untimed) likewise; after each removal the disk is synced and left half a second to settle.
Results are also written to tests/benchmarks/results/engine.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_detect import Row, install, report  # noqa: E402
from tests.harness.sandbox import Sandbox, unavailable_reason  # noqa: E402
from tests.system.engine import APPROACH_FLAGS, PY, prepare  # noqa: E402

ENV = {"SUDO_USER": "alice", "NO_COLOR": "1", "COLUMNS": "120"}


def timed(box: Sandbox, argv: list[str], user: str | None = None) -> float:
    start = time.perf_counter()
    result = box.run(argv, env=None if user else ENV, user=user, timeout=300)
    took = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return took


def pair(
    ours: Callable[[], float], base: Callable[[], float], runs: int, warmup: int = 2
) -> tuple[float, float, list[float], list[float]]:
    for _ in range(warmup):
        ours()
        base()
    a, b = [], []
    for _ in range(runs):
        a.append(ours())
        b.append(base())
    return statistics.median(a), statistics.median(b), a, b


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    rows: list[Row] = []
    found = 0
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        os.chmod(tmp, 0o755)
        venv = install(Path(tmp))
        # plan and apply render with rich: take it (compiled by pip) from this environment rather than the network
        purelib = sysconfig.get_paths()["purelib"]
        site = next((venv / "lib").glob("python3*/site-packages"))
        (site / "bench-deps.pth").write_text(purelib + "\n")
        cmd = str(venv / "bin" / "pip-setup-wizard")
        with Sandbox() as box:
            prepare(box, uv=True)
            uv = box.run(["sh", "-c", "command -v uv"]).stdout.strip()
            if not uv:
                print("uv is not installed in the benchmark's environment (pip install uv)", file=sys.stderr)
                return 2
            timed(box, [cmd, "detect", "--json"])  # fills the probe cache: every command below runs warm
            found = box.run([cmd, "detect", "--json"], env=ENV).json()["summary"]["interpreters"]

            def detect() -> float:
                return timed(box, [cmd, "detect", "--json"])

            for approach in ("sudo-pip", "pip-user", "own-site", "virtualenv"):
                for extra in ([], ["--json"]):
                    argv = [cmd, "plan", approach, "--python", PY, *APPROACH_FLAGS[approach], *extra]
                    ours, base, _, _ = pair(lambda argv=argv: timed(box, argv), detect, args.runs)
                    rows.append((" ".join(["plan", approach, *extra]), ours, "detect --json", base, 1.5))

            target = "/home/alice/baseline-venv"

            def settle() -> None:
                # Removing a venv makes the file system discard ~2000 files' blocks in the background (this
                # machine mounts with `discard`); let that finish so it does not slow whatever is timed next.
                box.sh("sync")
                time.sleep(0.5)

            def baseline() -> float:
                took = timed(box, [PY, "-m", "venv", target], user="alice")
                box.sh(f"rm -rf {target}")
                settle()
                return took

            def applying(*extra: str) -> Callable[[], float]:
                def run() -> float:
                    took = timed(box, [cmd, "apply", "virtualenv", "--python", PY, *extra, "--yes"])
                    timed(box, [cmd, "undo", "--yes"])
                    settle()
                    return took

                return run

            ours, base, _, _ = pair(applying(), baseline, args.runs, warmup=1)
            rows.append(("apply virtualenv (uv)", ours, "python -m venv (with pip)", base, 0.2))
            ours, base, _, _ = pair(applying("--no-uv"), baseline, args.runs, warmup=1)
            rows.append(("apply virtualenv --no-uv", ours, "python -m venv (with pip)", base, 1.1))

    ok = report(rows, "engine.json", {"interpreters": found})
    print(
        f"(medians of {args.runs} alternating runs, inside the sandbox, wizard as root for alice; "
        f"{found} interpreter(s) visible to detection)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
