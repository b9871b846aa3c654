#!/usr/bin/env python
"""Benchmark `qdetlit.matching.HungarianMatcher` (focal costs, weights 2/5/2, K=80) against:

- assignment only: `scipy.optimize.linear_sum_assignment` on the same per-image blocks, precomputed (the floor);
- DETR-style: DETR's `models/matcher.py` with Deformable DETR's focal class cost, re-implemented below
  (one cost matrix between all B*Q predictions and all targets of the batch, then split per image);
- Hugging Face `transformers`' `DeformableDetrHungarianMatcher`, when `transformers` is importable.

Every implementation must return the same assignments (inputs are continuous random numbers, so ties have
probability ~0); mismatches are counted and reported. Times are wall-clock medians: qdetlit and the assignment
floor in interleaved rounds, each full-matrix reference in its own block (they allocate up to GBs, which slows
whatever runs right after them); the JSON also has the best-of times.
On a shared machine absolute times are noisy; the ratios measured in one run are what to compare.

    python bench/matching.py            # the full table: B in {1,8,32}, Q in {100,300,900}, T in {5,50,200}
    python bench/matching.py --quick    # a few configurations
Results go to bench/results/matching.{md,json} (git-ignored).
"""
import argparse, itertools, json, os, statistics, subprocess, time
from pathlib import Path
import numpy as np
import torch
from machine import describe, label
from scipy.optimize import linear_sum_assignment
from torchvision.ops import generalized_box_iou
from qdetlit.box_ops import box_cxcywh_to_xyxy
from qdetlit.matching import HungarianMatcher

try:
    import transformers
    try: from transformers.loss.loss_deformable_detr import DeformableDetrHungarianMatcher
    except ImportError: from transformers.models.deformable_detr.modeling_deformable_detr import DeformableDetrHungarianMatcher
except ImportError: transformers = DeformableDetrHungarianMatcher = None

K, W_CLASS, W_BBOX, W_GIOU = 80, 2., 5., 2.

@torch.no_grad()
def detr_full_matcher(outputs, targets, alpha=0.25, gamma=2.):
    "DETR's matcher with Deformable DETR's focal class cost: one [B*Q, sum T] matrix, moved to the CPU, split per image."
    bs, num_queries = outputs["pred_logits"].shape[:2]
    out_prob = outputs["pred_logits"].flatten(0, 1).sigmoid()   # [B*Q, K]
    out_bbox = outputs["pred_boxes"].flatten(0, 1)               # [B*Q, 4]
    tgt_ids = torch.cat([v["labels"] for v in targets])
    tgt_bbox = torch.cat([v["boxes"] for v in targets])
    neg_cost_class = (1 - alpha) * (out_prob ** gamma) * (-(1 - out_prob + 1e-8).log())
    pos_cost_class = alpha * ((1 - out_prob) ** gamma) * (-(out_prob + 1e-8).log())
    cost_class = pos_cost_class[:, tgt_ids] - neg_cost_class[:, tgt_ids]
    cost_bbox = torch.cdist(out_bbox, tgt_bbox, p=1)
    cost_giou = -generalized_box_iou(box_cxcywh_to_xyxy(out_bbox), box_cxcywh_to_xyxy(tgt_bbox))
    C = (W_BBOX * cost_bbox + W_CLASS * cost_class + W_GIOU * cost_giou).view(bs, num_queries, -1).cpu()
    sizes = [len(v["boxes"]) for v in targets]
    indices = [linear_sum_assignment(c[i]) for i, c in enumerate(C.split(sizes, -1))]
    return [(torch.as_tensor(i, dtype=torch.int64), torch.as_tensor(j, dtype=torch.int64)) for i, j in indices]

def make_batch(B, Q, T, seed=0):
    "Continuous random predictions and targets: logits N(0,1), boxes with centres in [.1,.9] and sizes in [.02,.5]."
    g = torch.Generator().manual_seed(seed)
    def boxes(*s): return torch.cat([torch.rand(*s, 2, generator=g) * .8 + .1, torch.rand(*s, 2, generator=g) * .48 + .02], -1)
    outputs = {'pred_logits': torch.randn(B, Q, K, generator=g), 'pred_boxes': boxes(B, Q)}
    targets = [{'labels': torch.randint(0, K, (T,), generator=g), 'boxes': boxes(T)} for _ in range(B)]
    return outputs, targets

def same(a, b):
    "Number of images whose (pred_idx, tgt_idx) differ."
    return sum(not (torch.equal(x[0], y[0]) and torch.equal(x[1], y[1])) for x, y in zip(a, b))

def bench_one(B, Q, T, repeats, budget, max_full):
    outputs, targets = make_batch(B, Q, T, seed=B * 1_000_003 + Q * 1009 + T)
    ours = HungarianMatcher(W_CLASS, W_BBOX, W_GIOU, focal=True)
    C, sizes = ours.cost_matrix(outputs, targets)
    blocks = [np.ascontiguousarray(C[b, :, :n].numpy(), dtype=np.float64) for b, n in enumerate(sizes)]
    fns = {'qdetlit': lambda: ours(outputs, targets),
           'assign_only': lambda: [linear_sum_assignment(c) for c in blocks]}
    full_ok = B * Q * B * T <= max_full
    if full_ok: fns['detr_full'] = lambda: detr_full_matcher(outputs, targets)
    if full_ok and DeformableDetrHungarianMatcher is not None:
        hf = DeformableDetrHungarianMatcher(class_cost=W_CLASS, bbox_cost=W_BBOX, giou_cost=W_GIOU)
        hf_out = {'logits': outputs['pred_logits'], 'pred_boxes': outputs['pred_boxes']}
        hf_tgt = [{'class_labels': t['labels'], 'boxes': t['boxes']} for t in targets]
        fns['transformers'] = lambda: hf(hf_out, hf_tgt)
    ref = fns['qdetlit']()
    mism = {k: same(ref, fns[k]()) for k in fns if k not in ('qdetlit', 'assign_only')}
    mism['assign_only'] = same(ref, [(torch.as_tensor(i), torch.as_tensor(j)) for i, j in fns['assign_only']()])
    times = {k: [] for k in fns}
    def rounds(names):
        "Interleaved rounds of `names` (load changes hit them alike); cheap configurations get more rounds."
        start = time.perf_counter()
        while len(times[names[0]]) < repeats or (time.perf_counter() - start < budget and len(times[names[0]]) < 200):
            for k in names:
                t0 = time.perf_counter(); fns[k](); times[k].append(time.perf_counter() - t0)
    rounds(['qdetlit', 'assign_only'])
    for k in fns:   # the full-matrix references allocate up to GBs: time them apart, so they don't disturb the others
        if not times[k]: rounds([k])
    return dict(B=B, Q=Q, T=T, **{f'{k}_ms': 1e3 * statistics.median(v) for k, v in times.items()},
                **{f'{k}_best_ms': 1e3 * min(v) for k, v in times.items()}, rounds=len(times['qdetlit']),
                mismatched_images=mism, full_matrix_skipped=not full_ok)

def fmt(row):
    q, a = row['qdetlit_ms'], row['assign_only_ms']
    def col(k):
        if f'{k}_ms' not in row:
            return 'skipped (memory)' if row['full_matrix_skipped'] else 'not installed'
        return f"{row[f'{k}_ms']:.2f} ({row[f'{k}_ms'] / q:.1f}x)"
    bad = sum(row['mismatched_images'].values())
    ident = 'yes' if bad == 0 else f"NO, images differing: {row['mismatched_images']}"
    best = row['qdetlit_best_ms'] / row['assign_only_best_ms']
    return (f"| {row['B']} | {row['Q']} | {row['T']} | {q:.2f} | {a:.2f} ({q / a:.1f}x; best-of {best:.1f}x) | {col('detr_full')} | "
            f"{col('transformers')} | {ident} |")

HEADER = ("| B | Q | T | qdetlit ms | assignment only ms (qdetlit / it) | DETR-style full matrix ms (it / qdetlit) | "
          "transformers ms (it / qdetlit) | identical |\n|---|---|---|---|---|---|---|---|")

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--quick', action='store_true', help='a few configurations only')
    p.add_argument('--repeats', type=int, default=None, help='at least this many timed rounds (default 7, quick 5)')
    p.add_argument('--budget', type=float, default=1., help='more rounds (up to 200) until a timing block took this many seconds')
    p.add_argument('--threads', type=int, default=2, help='torch.set_num_threads (default 2)')
    p.add_argument('--max-full', type=float, default=2.5e7,
                   help='skip the full-matrix references when B*Q*sum(T) exceeds this many entries (memory)')
    p.add_argument('--out', default='bench/results/matching', help='writes OUT.md and OUT.json')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    repeats = a.repeats or (5 if a.quick else 7)
    configs = ([(1, 100, 5), (8, 300, 50), (32, 300, 50)] if a.quick
               else list(itertools.product([1, 8, 32], [100, 300, 900], [5, 50, 200])))
    env = dict(torch=torch.__version__, transformers=getattr(transformers, '__version__', None), threads=a.threads,
               **describe(), repeats=repeats,
               loadavg_start=os.getloadavg()[0], K=K, weights=[W_CLASS, W_BBOX, W_GIOU],
               git_commit=subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip())
    print(HEADER, flush=True)
    rows = []
    for B, Q, T in configs:
        rows.append(bench_one(B, Q, T, repeats, a.budget, a.max_full)); print(fmt(rows[-1]), flush=True)
    env['loadavg_end'] = os.getloadavg()[0]
    note = (f"torch {env['torch']}, transformers {env['transformers']}, {a.threads} threads, {label(env)}, "
            f"K={K}, focal costs 2/5/2, medians of at least {repeats} interleaved rounds (more for cheap configurations, "
            f"up to {a.budget:g} s each); load average "
            f"{env['loadavg_start']:.1f} at start, {env['loadavg_end']:.1f} at end.")
    print('\n' + note)
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix('.md').write_text(HEADER + '\n' + '\n'.join(fmt(r) for r in rows) + '\n\n' + note + '\n')
    out.with_suffix('.json').write_text(json.dumps(dict(env=env, rows=rows), indent=1))
    print(f"wrote {out.with_suffix('.md')} and {out.with_suffix('.json')}")

if __name__ == '__main__': main()
