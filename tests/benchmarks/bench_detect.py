"""Benchmark: our commands against baselines, measured side by side in one run, reported as ratios.

    python tests/benchmarks/bench_detect.py [--runs 21]

It installs the checkout the way a user gets it (a built wheel installed by pip into a fresh venv, so bytecode is
compiled), then alternates each command with its baseline so machine noise hits both alike, and prints medians and
ratios against the targets of issue 2:

- `pip-setup-wizard detect --json`  ≤ 0.5 × `/usr/bin/python3 -m pip --version`
- `pip-setup-wizard --version`      ≤ 3 × `python -c pass` (the same venv's python)

`detect --json` is measured warm (probe answers cached, the state a user re-running it is in) and, for the record,
cold (`--no-cache`). Results are also written to tests/benchmarks/results/detect.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def install(tmp: Path) -> Path:
    """A fresh venv with the wizard installed from a wheel (no extra dependencies are needed by detect)."""
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = next(dist.glob("*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(wheel)], check=True)
    return venv


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def pair(ours: list[str], base: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median seconds of ``ours`` and ``base``, run alternately after two warm-up rounds."""
    for _ in range(2):
        timed(ours, env)
        timed(base, env)
    a, b = [], []
    for _ in range(runs):
        a.append(timed(ours, env))
        b.append(timed(base, env))
    return statistics.median(a), statistics.median(b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    import os

    with tempfile.TemporaryDirectory() as tmp:
        venv = install(Path(tmp))
        cmd = str(venv / "bin" / "pip-setup-wizard")
        env = {**os.environ, "PIP_SETUP_WIZARD_HOME": str(Path(tmp) / "home")}
        rows = []
        warm, pip = pair([cmd, "detect", "--json"], ["/usr/bin/python3", "-m", "pip", "--version"], args.runs, env)
        rows.append(("detect --json (warm cache)", warm, "/usr/bin/python3 -m pip --version", pip, 0.5))
        cold, pip2 = pair(
            [cmd, "detect", "--json", "--no-cache"],
            ["/usr/bin/python3", "-m", "pip", "--version"],
            max(5, args.runs // 3),
            env,
        )
        rows.append(("detect --json --no-cache (cold)", cold, "/usr/bin/python3 -m pip --version", pip2, None))
        version, bare = pair([cmd, "--version"], [str(venv / "bin" / "python"), "-c", "pass"], args.runs, env)
        rows.append(("--version", version, "python -c pass (same venv)", bare, 3.0))
        interpreters = json.loads(
            subprocess.run([cmd, "detect", "--json"], capture_output=True, text=True, env=env).stdout
        )["summary"]["interpreters"]

    ok = report(rows, "detect.json", {"interpreters": interpreters})
    print(f"({interpreters} interpreters found on this machine; medians of {args.runs} alternating runs)")
    return 0 if ok else 1


Row = tuple[str, float, str, float, "float | None"]


def report(rows: list[Row], filename: str, extra: dict[str, object] | None = None) -> bool:
    """Prints the table of medians and ratios, writes it to tests/benchmarks/results/; True if every target holds."""
    print(f"{'ours':34} {'ms':>8}   {'baseline':32} {'ms':>8}   ratio  target")
    results = []
    for name, ours, base_name, base, target in rows:
        ratio = ours / base
        verdict = "" if target is None else ("ok" if ratio <= target else "OVER")
        goal = "" if target is None else f"≤ {target:g} {verdict}"
        print(f"{name:34} {ours * 1000:8.1f}   {base_name:32} {base * 1000:8.1f}   {ratio:5.2f}  {goal}")
        results.append(
            {
                "ours": name,
                "ms": round(ours * 1000, 1),
                "baseline": base_name,
                "baseline_ms": round(base * 1000, 1),
                "ratio": round(ratio, 3),
                "target": target,
            }
        )
    out = ROOT / "tests" / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / filename).write_text(json.dumps({**(extra or {}), "results": results}, indent=2) + "\n")
    return all(r["target"] is None or r["ratio"] <= r["target"] for r in results)


if __name__ == "__main__":
    sys.exit(main())
