#!/usr/bin/env python
"""Wall time of the test suite as CI runs it: `OMP_NUM_THREADS=1 nbdev_test --timing` from the repository root, every
notebook in `nbs/` without the `slow`, `cuda` and `notest` cells, one notebook per core (nbdev's default workers).

    python bench/nbdev_test_time.py                   # -> results/benchmarks/nbdev_test.json
    python bench/nbdev_test_time.py --out /tmp/t.json
    python bench/nbdev_test_time.py --log ci.log      # read a saved run instead: .ci/run's output (its "nbdev_test took N s")

Records the total wall time, each notebook's own time (nbdev's `--timing`: a notebook's time includes waiting for
nothing, it runs in its own worker), the sum of those, the machine (`machine.describe`), the load average at the start
and end, the commit and the date, and prints the slowest notebooks. nbdev_test's exit code must be 0: a failing suite is
not timed.
"""
import argparse, json, os, re, subprocess, sys, time
from pathlib import Path
from machine import describe, label

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=str(ROOT / 'results' / 'benchmarks' / 'nbdev_test.json'), help='the JSON to write')
    ap.add_argument('--top', type=int, default=12, help='how many of the slowest notebooks to print')
    ap.add_argument('--log', help="read the output of a finished `nbdev_test --timing` run (e.g. .ci/run's, with its line "
                    "'nbdev_test took N s') instead of running the tests, on the machine that ran them (the load is then not recorded)")
    a = ap.parse_args()
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    load0, t0 = os.getloadavg()[0], time.perf_counter()
    if a.log:
        out = Path(a.log).read_text(errors='replace')
        took = re.search(r'^nbdev_test took (\d+) s', out, re.M)
        if not took: sys.exit(f"{a.log}: no line 'nbdev_test took N s' (the wall time); give the output of .ci/run")
        wall = float(took[1])
    else:
        p = subprocess.run(['nbdev_test', '--timing'], cwd=ROOT, env={**os.environ, 'OMP_NUM_THREADS': '1'}, capture_output=True, text=True)
        wall, out = time.perf_counter() - t0, p.stdout
        if p.returncode: sys.exit(f"nbdev_test failed (exit code {p.returncode}), not timed:\n{(p.stdout + p.stderr)[-3000:]}")
    # nbdev prints file names only, and a lesson and an API notebook may share one (01_matching.ipynb): keep every line
    per_nb = [[m[1], int(m[2])] for m in re.finditer(r'^(\S+\.ipynb): (\d+) secs$', out, re.M)]
    if not per_nb: sys.exit(f"no '<notebook>: N secs' lines in nbdev_test's output:\n{out[-2000:]}")
    import torch
    res = dict(wall_s=round(wall, 1), notebooks=len(per_nb), sum_of_notebooks_s=sum(s for _, s in per_nb), per_notebook_s=per_nb,
               omp_num_threads=1, torch=torch.__version__, **describe(), load_start=None if a.log else load0,
               load_end=None if a.log else os.getloadavg()[0], git_commit=commit,
               source=f'log {Path(a.log).name}' if a.log else 'run', date=time.strftime('%Y-%m-%d'))
    Path(a.out).write_text(json.dumps(res, indent=1) + '\n')
    load = 'load not known (read from a log)' if a.log else f"load average {load0:.1f} at start and {res['load_end']:.1f} at end"
    print(f"nbdev_test: {len(per_nb)} notebooks in {wall:.0f} s wall ({res['sum_of_notebooks_s']} s summed over notebooks), "
          f"OMP_NUM_THREADS=1, {label(res)}, {load}, commit {commit}")
    for name, s in sorted(per_nb, key=lambda kv: -kv[1])[:a.top]: print(f"  {name}: {s} s")
    print(f"wrote {a.out}")


if __name__ == '__main__': main()
