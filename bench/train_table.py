#!/usr/bin/env python
"""Train each tiny base detector on Shapes with its default recipe (the same budget for all: 12 epochs on 1000
images of 96-144 px) and tabulate COCO AP / AP50 / AP75, wall time and peak memory (max RSS of the training process).

One row = one command: `qdetlit train --model MODEL --out bench/results/train/MODEL --overwrite`. This script runs those commands
one after the other (never in parallel, so times are comparable) and writes bench/results/train_table.{md,json}.

    python bench/train_table.py                       # the four tiny models
    python bench/train_table.py --models adamixer-tiny
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

MODELS = ['detr-tiny', 'conditional-detr-tiny', 'deformable-detr-tiny', 'adamixer-tiny']

def run(model, out, extra):
    cmd = ['qdetlit', 'train', '--model', model, '--out', str(out), '--overwrite', *extra]  # a re-run replaces the table's own run
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)             # rusage of this child alone
    wall = time.perf_counter() - t0
    (out/'train.log').write_text(log)
    if os.waitstatus_to_exitcode(status) != 0: sys.exit(f"{' '.join(cmd)} failed:\n{log[-3000:]}")
    m = json.loads((out/'metrics.json').read_text())['final']
    return dict(model=model, command=' '.join(cmd), AP=m['AP'], AP50=m['AP50'], AP75=m['AP75'], APs=m['APs'],
                wall_s=wall, peak_rss_mb=ru.ru_maxrss / 1024)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--models', nargs='+', default=MODELS)
    ap.add_argument('--out', default='bench/results')
    a, extra = ap.parse_known_args()
    res_dir = Path(a.out); rows = []
    for m in a.models:
        out = res_dir/'train'/m; out.mkdir(parents=True, exist_ok=True)
        print(f"training {m} ...", flush=True)
        rows.append(run(m, out, extra)); print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    md = ["| model | AP | AP50 | AP75 | APs | wall time (s) | peak RSS (MB) | command |", "|---|---|---|---|---|---|---|---|"]
    md += [f"| {r['model']} | {r['AP']:.3f} | {r['AP50']:.3f} | {r['AP75']:.3f} | {r['APs']:.3f} | {r['wall_s']:.0f} | "
           f"{r['peak_rss_mb']:.0f} | `{r['command']}` |" for r in rows]
    md.append(f"\n{os.cpu_count()} CPUs, load average at the end {load:.1f}; run one after the other.")
    (res_dir/'train_table.md').write_text('\n'.join(md) + '\n'); (res_dir/'train_table.json').write_text(json.dumps(rows, indent=1))
    print('\n'.join(md))
