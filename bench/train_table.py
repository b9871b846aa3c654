#!/usr/bin/env python
"""Train each tiny base detector on Shapes with its zoo recipe, `qdetlit train --model MODEL` and nothing else (so each
row is also what a user gets), and record COCO AP / AP50 / AP75 / APs after every evaluation, wall time and peak memory
(max RSS of the training process) in results/benchmarks/train_table.json, which 18_zoo and 19_cli render.

One row = one command: `qdetlit train --model MODEL --out DIR --overwrite [--threads N]`. The script runs those commands
one after the other (never in parallel with each other, so the times compare) and records the thread count, the CPU
count, the 1-minute load average at the start and end of each run, the torch version and the git commit.

    python bench/train_table.py                                  # every tiny base detector
    python bench/train_table.py --models adamixer-tiny --threads 1  # one row (the others are kept)
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ['detr-tiny', 'conditional-detr-tiny', 'dab-detr-tiny', 'deformable-detr-tiny', 'adamixer-tiny']
OUT = ROOT / 'results' / 'benchmarks' / 'train_table.json'


def run(model:str, out:Path, threads:int|None)->dict:
    cmd = ['qdetlit', 'train', '--model', model, '--out', str(out), '--overwrite'] + (['--threads', str(threads)] if threads else [])
    load0, t0 = os.getloadavg()[0], time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)             # rusage of this child alone
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0: sys.exit(f"{' '.join(cmd)} failed:\n{log[-3000:]}")
    final = json.loads((out / 'metrics.json').read_text())['final']
    hist = json.loads((out / 'history.json').read_text())
    hist = hist['epochs']
    curve = [dict(epoch=i + 1, **{k: h[k] for k in ('AP', 'AP50')}) for i, h in enumerate(hist) if 'AP' in h]
    shown = [c for c in cmd if c not in ('--out', str(out), '--overwrite')]
    return dict(model=model, command=' '.join(shown), **{k: final[k] for k in ('AP', 'AP50', 'AP75', 'APs')}, curve=curve,
                wall_s=wall, peak_rss_mb=ru.ru_maxrss / 1024, threads=threads, load_start=load0, load_end=os.getloadavg()[0])


def _env()->dict:
    import torch
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return dict(torch=torch.__version__, cpus=os.cpu_count(), git_commit=commit, device='cpu')


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--models', nargs='+', default=MODELS)
    ap.add_argument('--threads', type=int, default=None, help='intra-op threads of each run (default: the CLI default)')
    ap.add_argument('--out', default=str(OUT), help='the JSON file (rows of other models already in it are kept)')
    a = ap.parse_args()
    out = Path(a.out)
    rows = {r['model']: r for r in (json.loads(out.read_text())['rows'] if out.exists() else [])}
    with tempfile.TemporaryDirectory() as tmp:
        for m in a.models:
            print(f"training {m} ...", flush=True)
            rows[m] = {**run(m, Path(tmp) / m, a.threads), **_env()}
            print({k: v for k, v in rows[m].items() if k != 'curve'}, flush=True)
            order = [m for m in MODELS if m in rows] + [m for m in rows if m not in MODELS]
            out.parent.mkdir(parents=True, exist_ok=True)
            tmpf = out.with_suffix('.json.tmp'); tmpf.write_text(json.dumps(dict(rows=[rows[k] for k in order]), indent=1))
            os.replace(tmpf, out)
