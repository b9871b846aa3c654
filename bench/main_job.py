#!/usr/bin/env python
"""The main job, `qdetlit train` with its defaults (adamixer-tiny on Shapes, 12 epochs), at this tree and at an earlier
commit, measured in one run: wall time and final COCO AP of each.

The earlier commit is checked out into a temporary `git worktree` and imported from there (PYTHONPATH), so both sides
run the same command line, `python -c "from qdetlit.cli import main; main()" train --out DIR --overwrite`,
in their own process, one after the other (never at the same time), alternating base and this tree for `--repeats`
rounds; with `--parallel` the two runs of a round start together (one core each on a 2-core machine: both see the
same load). Each run records its wall time, AP and the 1-minute load average at its start and end; the table reports the
median time of each side and the ratio. The default base, 3e19f4a, is the last commit before the first speed work
(bench/profile_step.py).

    python bench/main_job.py                       # base 3e19f4a, 1 round, the CLI's default threads
    python bench/main_job.py --repeats 2 --threads 2
    python bench/main_job.py --repeats 1 --threads 1 --parallel
    python bench/main_job.py --quick               # 1 epoch of 64 images per side: checks the plumbing

Writes bench/results/main_job.md and, without --quick, the committed results/benchmarks/main_job.json.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path
from machine import describe, label

ROOT = Path(__file__).resolve().parent.parent
BASE = '3e19f4a'
QUICK = ['--epochs', '1', '--train-images', '64']


def start(tree:Path, out:Path, extra:list, threads:int|None):
    "Start one `qdetlit train` run with the package of `tree`; (process, start time, load at start)."
    cmd = [sys.executable, '-c', 'from qdetlit.cli import main; main()', 'train', '--out', str(out), '--overwrite', *extra]
    env = {**os.environ, 'PYTHONPATH': str(tree), **({'OMP_NUM_THREADS': str(threads)} if threads else {})}
    load0 = os.getloadavg()[0]
    with open(f'{out}.log', 'w') as log:   # a file, not a pipe: two runs at once never block on a full pipe
        return subprocess.Popen(cmd, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT), time.perf_counter(), load0


def finish(run, tree:Path, out:Path, ended:float|None=None)->dict:
    "Wait for a run of `start`; its wall time (up to `ended` if it is known already), final AP and load."
    p, t0, load0 = run
    p.wait()
    wall = (ended or time.perf_counter()) - t0
    if p.returncode: sys.exit(f"{tree}: qdetlit train failed:\n{Path(f'{out}.log').read_text()[-3000:]}")
    final = json.loads((out / 'metrics.json').read_text())['final']
    return dict(wall_s=wall, AP=final['AP'], load_start=load0, load_end=os.getloadavg()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--base', default=BASE, help=f'the earlier commit (default {BASE})')
    ap.add_argument('--repeats', type=int, default=1, help='rounds of (base, this tree)')
    ap.add_argument('--threads', type=int, default=None, help="OMP_NUM_THREADS of both runs (default: each side's CLI default; "
                    "the base has no --threads option)")
    ap.add_argument('--quick', action='store_true', help='1 epoch of 64 images: checks the script, writes nothing committed')
    ap.add_argument('--parallel', action='store_true', help='run the two sides of a round at the same time (one core each on a '
                    '2-core machine, under the same load), instead of one after the other')
    ap.add_argument('--out', default=str(ROOT / 'results' / 'benchmarks' / 'main_job.json'), help='the JSON to write (default: the committed one)')
    a = ap.parse_args()
    extra = QUICK if a.quick else []
    head = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'], cwd=ROOT, capture_output=True, text=True).stdout.strip())
    runs = {'base': [], 'this tree': []}
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / 'base'
        subprocess.run(['git', 'worktree', 'add', '--detach', str(wt), a.base], cwd=ROOT, check=True, capture_output=True)
        try:
            for r in range(a.repeats):
                sides = [(side, tree, Path(tmp) / f'{side}-{r}'.replace(' ', '_')) for side, tree in (('base', wt), ('this tree', ROOT))]
                ended = [None, None]
                if a.parallel:
                    started = [start(tree, out, extra, a.threads) for _, tree, out in sides]
                    while None in ended:   # note each run's end as it happens: the first may end long before the second
                        for i, (p, _, _) in enumerate(started):
                            if ended[i] is None and p.poll() is not None: ended[i] = time.perf_counter()
                        time.sleep(0.2)
                for i, (side, tree, out) in enumerate(sides):
                    res = finish(started[i] if a.parallel else start(tree, out, extra, a.threads), tree, out, ended[i])
                    runs[side].append(res); print(side, res, flush=True)
        finally: subprocess.run(['git', 'worktree', 'remove', '--force', str(wt)], cwd=ROOT, capture_output=True)
    med = {s: statistics.median(x['wall_s'] for x in v) for s, v in runs.items()}
    aps = lambda side: ', '.join(f"{x['AP']:.3f}" for x in runs[side])
    import torch
    md = ['| side | commit | wall time (s), median | AP per run | speed-up |', '|---|---|---|---|---|',
          f"| base | {a.base} | {med['base']:.0f} | {aps('base')} | 1.00x |",
          f"| this tree | {head}{'+dirty' if dirty else ''} | {med['this tree']:.0f} | {aps('this tree')} | "
          f"{med['base'] / med['this tree']:.2f}x |",
          '', f"`qdetlit train{' ' + ' '.join(extra) if extra else ''}`{f', OMP_NUM_THREADS={a.threads}' if a.threads else ''}, {a.repeats} round(s), {'both sides at once' if a.parallel else 'alternating'}; torch {torch.__version__}, "
          f"{label(describe())}; load average {min(x['load_start'] for v in runs.values() for x in v):.1f}-"
          f"{max(x['load_end'] for v in runs.values() for x in v):.1f}; {time.strftime('%Y-%m-%d')}."]
    text = '\n'.join(md) + '\n'
    print(text)
    (ROOT / 'bench' / 'results').mkdir(parents=True, exist_ok=True)
    (ROOT / 'bench' / 'results' / 'main_job.md').write_text(text)
    if not a.quick:
        Path(a.out).write_text(json.dumps(dict(base=a.base, head=head, dirty=dirty, args=extra, threads=a.threads, parallel=a.parallel, runs=runs, torch=torch.__version__,
                                       **describe(), date=time.strftime('%Y-%m-%d')), indent=1) + '\n')


if __name__ == '__main__': main()
