#!/usr/bin/env python
"""Co-DETR (qdetlit.co_detr) at teaching scale: Deformable-DETR-tiny with and without the auxiliary heads.

Rows (same data, budget, seed and learning rate: the zoo's deformable-detr-tiny recipe, bench/common.py's ABLATION):
  deformable-detr-tiny-2s     the base (CO_DETR_TINY with no auxiliary head: two-stage DEFORMABLE_DETR_TINY, as released)
  +atss                       ATSS auxiliary head + its customised positive queries
  +atss+rcnn                  ATSS + Faster R-CNN (the paper's default) + queries
  +atss+rcnn+fcos             all three heads + queries
  ...-noq                     the same heads without the customised positive queries (encoder supervision only)

    python bench/co_detr.py                     # all rows, most informative first -> bench/results/co_detr.md / .json
    python bench/co_detr.py --rows +atss +atss-noq   # a subset
    python bench/co_detr.py --rows deformable-detr-tiny-2s --seed 1 --out bench/results/co_detr_seed1.md   # noise level
    python bench/co_detr.py --timing            # seconds per training iteration of each row (batch 8), interleaved rounds
"""
import argparse, os, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import train_eval, write_table
from qdetlit.co_detr import CO_DETR_TINY, build_co_detr
from qdetlit.deformable_detr import build_deformable_detr

LR_MULTS = {'sampling_offsets': 0.1, 'reference_points': 0.1}   # the zoo's deformable-detr-tiny recipe (lr 1e-3)
ROWS = {'deformable-detr-tiny-2s': dict(heads=()),
        '+atss': dict(heads=('atss',)),
        '+atss+rcnn': dict(heads=('atss', 'rcnn')),
        '+atss-noq': dict(heads=('atss',), pos_queries=False),
        '+atss+rcnn-noq': dict(heads=('atss', 'rcnn'), pos_queries=False),
        '+atss+rcnn+fcos': dict(heads=('atss', 'rcnn', 'fcos')),
        '+atss+rcnn+fcos-noq': dict(heads=('atss', 'rcnn', 'fcos'), pos_queries=False)}
STUDY_ROWS = ('deformable-detr-tiny-2s', '+atss', '+atss+rcnn', '+atss-noq', '+atss+rcnn+fcos')   # bench/study.py's co_detr study
PAPER = {'+atss': 'COCO 48.7 (R50 12 ep, ATSS only; issue #18)', '+atss+rcnn': 'COCO 49.5 (R50 12 ep; README)'}

def timing(names, rounds=5, threads=1):
    "Median seconds per training iteration (forward, losses, backward, AdamW step) of each row on one batch of 8."
    import statistics, time, torch
    from qdetlit.datasets import load_split
    from qdetlit.data import collate
    from qdetlit.losses import weighted_loss
    from common import ABLATION
    torch.set_num_threads(threads)
    tr = load_split('shapes', 'train', True, ABLATION['min_size'], ABLATION['max_size'], 8)
    batch = collate([tr[i] for i in range(8)])
    models = {}
    for name in names:
        cfg = replace(CO_DETR_TINY, num_classes=len(tr.classes), **ROWS[name])
        torch.manual_seed(0)
        m, c, _ = build_co_detr(cfg) if cfg.heads else build_deformable_detr(replace(cfg.base, num_classes=len(tr.classes)))
        models[name] = (m.train(), c, torch.optim.AdamW(m.parameters(), 1e-4))
    times = {n: [] for n in names}
    for r in range(rounds + 1):                      # round 0 is a warm-up
        for n, (m, c, opt) in models.items():
            t0 = time.perf_counter()
            loss = weighted_loss(c(m(batch.images, batch.mask), batch.targets), c.weight_dict)
            opt.zero_grad(); loss.backward(); opt.step()
            if r: times[n].append(time.perf_counter() - t0)
    base = statistics.median(times[names[0]])
    md = ['| variant | s / iteration (median of %d) | overhead vs %s |' % (rounds, names[0]), '|---|---|---|']
    md += [f"| {n} | {statistics.median(t):.2f} | {statistics.median(t) / base:.2f}x |" for n, t in times.items()]
    md.append(f"\nbatch 8 Shapes images at {ABLATION['min_size']}-{ABLATION['max_size']} px, {threads} thread, CPU; "
              f"1-minute load average at the end {os.getloadavg()[0]:.1f}.")
    text = '\n'.join(md) + '\n'
    Path('bench/results/co_detr_timing.md').write_text(text)
    return text

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rows', nargs='+', default=list(ROWS), choices=list(ROWS))
    ap.add_argument('--out', default='bench/results/co_detr.md')
    ap.add_argument('--seed', type=int, default=0, help='seed of every row (rows of a seed other than 0 are named <row>-s<seed>)')
    ap.add_argument('--timing', action='store_true', help='time one training iteration per row instead of training')
    a = ap.parse_args()
    if a.timing: print(timing(a.rows)); sys.exit()
    rows = []
    for name in a.rows:
        cfg = replace(CO_DETR_TINY, **ROWS[name])
        if cfg.heads: build = lambda K, cfg=cfg: build_co_detr(replace(cfg, num_classes=K))
        else: build = lambda K, cfg=cfg: build_deformable_detr(replace(cfg.base, num_classes=K))   # the plain base detector
        rows.append(train_eval(build, name + (f'-s{a.seed}' if a.seed else ''), seed=a.seed, lr_mults=LR_MULTS))
        print(write_table(rows, a.out, 'Co-DETR ablation on Shapes (qdetlit.co_detr)', PAPER), flush=True)
