#!/usr/bin/env python
"""Where one training step of each tiny detector spends its time (issue: faster than the peers).

    python bench/profile_step.py                          # every tiny zoo model, 1 thread -> results/benchmarks/profile_step.json
    python bench/profile_step.py --models adamixer-tiny detr-tiny --steps 8 --threads 2

Per model, on Shapes batches of the tiny recipe (batch 8, 96-144 px, training augmentation), after 2 warm-up steps,
the mean over `--steps` steps of: loading + collating a batch (the DataLoader, 0 workers), the forward of the backbone
(+ neck), the rest of the forward, the criterion (of which the matcher's share is timed on its own), backward, and the
AdamW step; then the top operators of one step by self CPU time (torch.profiler), and the evaluation cost per image
(post-processing + pycocotools on 16 validation images). Times are wall-clock on the CPU; the JSON records the thread
count and the 1-minute load average, and only ratios measured in one run mean anything.
"""
import argparse, itertools, json, os, statistics, sys, time
from collections import defaultdict
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
TINY = ['detr-tiny', 'conditional-detr-tiny', 'deformable-detr-tiny', 'sd-detr-tiny', 'adamixer-tiny', 'stage-interactor-tiny',
        'deqdet-tiny', 'gfl-tiny', 'gflv2-tiny', 'salt-tiny', 'atss-tiny', 'fcos-tiny', 'faster-rcnn-tiny', 'co-detr-tiny']


class Timer:
    "Accumulates wall time of module forwards (pre/post hooks) under a label."
    def __init__(self): self.t, self._start = defaultdict(float), {}
    def watch(self, module, label):
        module.register_forward_pre_hook(lambda m, a: self._start.__setitem__(id(m), time.perf_counter()))
        module.register_forward_hook(lambda m, a, o: self.t.__setitem__(label, self.t[label] + time.perf_counter() - self._start.pop(id(m))))


def _backbone(model):
    "The outermost module defined in qdetlit.backbone (the backbone, or backbone + neck)."
    return min(((n, m) for n, m in model.named_modules() if n and type(m).__module__ == 'qdetlit.backbone'), key=lambda nm: nm[0].count('.'))[1]


def profile(name:str, steps:int, K:int, train_ds, val_ds)->dict:
    from qdetlit.data import collate
    from qdetlit.evaluation import CocoEvaluator
    from qdetlit.losses import weighted_loss
    from qdetlit.zoo import build_model, get_recipe
    r = get_recipe(name)
    torch.manual_seed(0)
    model, crit, post = build_model(name, K)
    T = Timer(); T.watch(_backbone(model), 'backbone')
    for m in crit.modules():
        if type(m).__name__.endswith('Matcher'): T.watch(m, 'matcher')
    opt = torch.optim.AdamW(model.parameters(), lr=r.lr, weight_decay=r.weight_decay)
    dl = torch.utils.data.DataLoader(train_ds, batch_size=r.batch_size, shuffle=True, collate_fn=collate, drop_last=True)
    it, rows = (b for _ in itertools.count() for b in dl), []   # epochs after epochs: any --steps fits the 64 images
    model.train()
    for step in range(steps + 2):
        T.t.clear(); t0 = time.perf_counter()
        b = next(it); t1 = time.perf_counter()
        out = model(b.images, b.mask); t2 = time.perf_counter()
        loss = weighted_loss(crit(out, b.targets), crit.weight_dict); t3 = time.perf_counter()
        opt.zero_grad(); loss.backward(); t4 = time.perf_counter()
        if r.clip_max_norm: torch.nn.utils.clip_grad_norm_(model.parameters(), r.clip_max_norm)
        opt.step(); t5 = time.perf_counter()
        if step >= 2:
            rows.append(dict(data=t1 - t0, backbone=T.t['backbone'], forward_rest=t2 - t1 - T.t['backbone'], matcher=T.t['matcher'],
                             criterion_rest=t3 - t2 - T.t['matcher'], backward=t4 - t3, optimizer=t5 - t4, step=t5 - t0))
    phases = {k: statistics.mean(r_[k] for r_ in rows) for k in rows[0]}
    b = next(it)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        loss = weighted_loss(crit(model(b.images, b.mask), b.targets), crit.weight_dict); opt.zero_grad(); loss.backward(); opt.step()
    top = [dict(op=e.key, self_ms=e.self_cpu_time_total / 1e3, calls=e.count)
           for e in sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)[:10]]
    model.eval(); ev = CocoEvaluator(val_ds.coco, val_ds.label2cat)
    t0 = time.perf_counter()
    with torch.no_grad():
        for i in range(0, len(val_ds), 8):
            vb = collate([val_ds[j] for j in range(i, min(i + 8, len(val_ds)))])
            res = post(model(vb.images, vb.mask), torch.stack([t['orig_size'] for t in vb.targets]))
            ev.update({int(t['image_id']): r_ for t, r_ in zip(vb.targets, res)})
    ev.summarize()
    eval_s = (time.perf_counter() - t0) / len(val_ds)
    return dict(model=name, batch=r.batch_size, phases_s=phases, top_ops=top, eval_s_per_image=eval_s,
                params_m=sum(p.numel() for p in model.parameters()) / 1e6)


def table(rows:list)->str:
    cols = ['data', 'backbone', 'forward_rest', 'matcher', 'criterion_rest', 'backward', 'optimizer']
    md = ['| model | step (s) | ' + ' | '.join(c.replace('_', ' ') for c in cols) + ' | top op (self %) | eval / image (ms) |',
          '|---' * (len(cols) + 4) + '|']
    for r in rows:
        p, s = r['phases_s'], r['phases_s']['step']
        top = r['top_ops'][0]; tot = sum(o['self_ms'] for o in r['top_ops'])
        md.append(f"| {r['model']} | {s:.2f} | " + ' | '.join(f"{100 * p[c] / s:.0f}%" for c in cols) +
                  f" | `{top['op']}` ({100 * top['self_ms'] / 1e3 / s:.0f}%) | {1e3 * r['eval_s_per_image']:.0f} |")
    return '\n'.join(md)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--models', nargs='+', default=TINY); ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--out', default=str(ROOT / 'results/benchmarks/profile_step.json'))
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    from qdetlit.datasets import load_split
    tr = load_split('shapes', 'train', True, 96, 144, 64); va = load_split('shapes', 'val', False, 96, 144, 16)
    rows = []
    for n in a.models:
        rows.append(profile(n, a.steps, len(tr.classes), tr, va)); print(table(rows[-1:]).split('\n')[-1], flush=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(dict(benchmark='training step profile', device='cpu', torch=torch.__version__, threads=a.threads,
                                           load_avg=os.getloadavg(), command='python bench/profile_step.py ' + ' '.join(argv or sys.argv[1:]),
                                           rows=rows), indent=1))
    print(table(rows))


if __name__ == '__main__': main()
