"""Run kvale's benchmarks and print their tables.

Each benchmark is a module `bench/<name>.py` with a function
``run(quick: bool) -> str`` returning a Markdown table (with a line of
context). ``python -m bench`` runs all of them; ``python -m bench capture tagging``
runs the named ones; ``--quick`` shortens each. Tables are printed and also
written to ``bench/results/<name>.md``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def available() -> list[str]:
    """The benchmarks: modules of `bench` with a ``run`` (not the helpers, such as `synth`)."""
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if not m.name.startswith("_"))
    return [n for n in names if "\ndef run(" in (HERE / f"{n}.py").read_text(encoding="utf-8")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {available()})")
    parser.add_argument("--quick", action="store_true", help="shorter runs, for a smoke test")
    args = parser.parse_args(argv)
    names = args.names or available()
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    failed = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"## {name}", flush=True)
        try:
            table = module.run(quick=args.quick)
        except Exception as exc:  # a failing benchmark must not hide the others
            failed.append(name)
            print(f"FAILED: {exc!r}\n", flush=True)
            continue
        took = time.perf_counter() - started
        text = f"{table.rstrip()}\n\n(took {took:.0f} s)\n"
        print(text, flush=True)
        (out_dir / f"{name}.md").write_text(f"## {name}\n\n{text}", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
