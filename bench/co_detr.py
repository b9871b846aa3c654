#!/usr/bin/env python
"""Co-DETR (qdetlit.co_detr) at teaching scale: the rows of the Co-DETR study (`python bench/study.py run co_detr --seeds
0 1 2 --jobs 2`, learning rates of the zoo's deformable-detr-tiny recipe) and the cost of each auxiliary head.

  deformable-detr-tiny-2s     the base (CO_DETR_TINY with no auxiliary head: two-stage DEFORMABLE_DETR_TINY, as released)
  +atss                       ATSS auxiliary head + its customised positive queries
  +atss+rcnn                  ATSS + Faster R-CNN (the paper's default) + queries
  +atss+rcnn+fcos             all three heads + queries
  ...-noq                     the same heads without the customised positive queries (encoder supervision only)

    python bench/co_detr.py --timing            # seconds per training iteration of each row (batch 8), interleaved rounds
"""
import argparse, os, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
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
    ap.add_argument('--timing', action='store_true', help='time one training iteration per row (the study itself: bench/study.py)')
    a = ap.parse_args()
    if not a.timing: sys.exit("training the rows is bench/study.py's job: python bench/study.py run co_detr --seeds 0 1 2 --jobs 2; "
                              "this script measures --timing")
    print(timing(a.rows))
