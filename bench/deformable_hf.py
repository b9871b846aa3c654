#!/usr/bin/env python
"""Deformable DETR at the paper's width, qdetlit against Hugging Face transformers with the same weights.

A random `transformers.DeformableDetrForObjectDetection` (d 256, 8 heads, 6 + 6 layers, 300 queries, 4 levels,
4 points, FFN 1024, box refinement, dropout 0) is saved and converted with `qdetlit.pretrained.from_transformers`.
Both models then get the same ResNet-50 output, computed once (the ResNet is bypassed: it is the same network on
both sides; the input projections and everything after them run), for a padded batch of 2 images (384 x 384 and 320 x 384 px by default). Before timing, the script
checks that logits and boxes agree to float32 round-off; it stops if they do not.

Timed, as medians over interleaved rounds (qdetlit, transformers, qdetlit, ...):
- inference: the forward under `torch.no_grad()` in eval mode;
- training: forward + backward of the same scalar of the outputs (`logits.sigmoid().mean() + boxes.mean()`) in
  train mode, parameter gradients included (the criterion is not part of it: the two libraries' losses differ).

    python bench/deformable_hf.py                 # 1 thread, 5 rounds
    python bench/deformable_hf.py --quick         # d 64, 2 + 2 layers, 2 rounds: checks the plumbing in seconds
    python bench/deformable_hf.py --amp           # also both sides under bfloat16 autocast (what `qdetlit train --amp` does on CPU)

With `--amp` each task is timed four ways in the same rounds (qdetlit and transformers, float32 and autocast), and the
JSON records how far each side's autocast outputs lie from its own float32 outputs.
Writes bench/results/deformable_hf.md and the committed results/benchmarks/deformable_hf.json (not with --quick;
with --amp: deformable_hf_amp.json).
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path
import torch
from machine import describe, label
from torch import nn

PAPER = dict(d_model=256, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8, decoder_attention_heads=8,
             encoder_ffn_dim=1024, decoder_ffn_dim=1024, num_queries=300, num_feature_levels=4, encoder_n_points=4,
             decoder_n_points=4)
QUICK = dict(PAPER, d_model=64, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4, decoder_attention_heads=4,
             encoder_ffn_dim=128, decoder_ffn_dim=128, num_queries=30)

class Cached(nn.Module):
    "Stands in for a backbone: returns the output it was given, whatever the input."
    def __init__(self, out): super().__init__(); self.out = out
    def forward(self, *args): return self.out

def build(arch:dict, folder:str):
    "A random transformers model (box refinement, dropout 0) and its qdetlit conversion, both in eval mode."
    import transformers
    from transformers.utils import logging as hf_logging
    from qdetlit.pretrained import from_transformers
    from qdetlit.testing import perturb_
    hf_logging.set_verbosity_error(); hf_logging.disable_progress_bar()
    torch.manual_seed(0)
    cfg = transformers.DeformableDetrConfig(**arch, with_box_refine=True, dropout=0., attention_dropout=0., activation_dropout=0.,
                                            use_timm_backbone=False, use_pretrained_backbone=False, num_labels=91)
    hf = transformers.DeformableDetrForObjectDetection(cfg)
    perturb_(hf); hf.save_pretrained(folder)
    hf = transformers.DeformableDetrForObjectDetection.from_pretrained(folder).eval()
    return hf, from_transformers(folder).model.eval()

def batch(sizes=((384, 384), (320, 384))):
    "A padded batch of normalised noise images: images [B,3,H,W], mask [B,H,W] (True on padding)."
    H, W = max(h for h, _ in sizes), max(w for _, w in sizes)
    g = torch.Generator().manual_seed(0)
    images, mask = torch.zeros(len(sizes), 3, H, W), torch.ones(len(sizes), H, W, dtype=torch.bool)
    for i, (h, w) in enumerate(sizes): images[i, :, :h, :w] = torch.randn(3, h, w, generator=g); mask[i, :h, :w] = False
    return images, mask

def bypass_backbones(hf, ours, images, mask):
    "Run each backbone once and replace it by its cached output; check that both saw the same features."
    with torch.no_grad():
        hf_out = hf.model.backbone(images, (~mask).long())               # [(map [B,C,h,w], mask [B,h,w])] per level
        our_out = ours.backbone.backbone(images, mask)                    # the ResNet alone: (maps, masks); the neck stays
    for (f, _), g in zip(hf_out, our_out[0]): torch.testing.assert_close(f, g)
    hf.model.backbone, ours.backbone.backbone = Cached(hf_out), Cached(our_out)

def step_fns(hf, ours, images, mask):
    "name -> (qdetlit fn, transformers fn) for each timed task."
    pm = (~mask).long()
    def run_hf(): o = hf(pixel_values=images, pixel_mask=pm); return o.logits, o.pred_boxes
    def run_ours(): o = ours(images, mask); return o['pred_logits'], o['pred_boxes']
    def infer(m, f):
        def go():
            m.eval()
            with torch.no_grad(): f()
        return go
    def train(m, f):
        def go():
            m.train(); m.zero_grad(set_to_none=True)
            lg, bx = f(); (lg.sigmoid().mean() + bx.mean()).backward()
        return go
    return {'inference': (infer(ours, run_ours), infer(hf, run_hf)), 'training (forward + backward)': (train(ours, run_ours), train(hf, run_hf))}

def autocast(fn):
    "`fn` run under CPU bfloat16 autocast."
    def go():
        with torch.autocast('cpu', dtype=torch.bfloat16): fn()
    return go

def eval_outputs(hf, ours, images, mask, amp=False)->dict:
    "Eval-mode (logits, boxes) of each side, float32 or under bfloat16 autocast."
    hf.eval(); ours.eval()
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16, enabled=amp):
        ho, qo = hf(pixel_values=images, pixel_mask=(~mask).long()), ours(images, mask)
    return dict(transformers=(ho.logits.float(), ho.pred_boxes.float()), qdetlit=(qo['pred_logits'].float(), qo['pred_boxes'].float()))

def max_diff(a:tuple, b:tuple)->dict: return dict(logits=(a[0] - b[0]).abs().max().item(), boxes=(a[1] - b[1]).abs().max().item())

def parity(hf, ours, images, mask)->dict:
    "Max |difference| of logits and boxes between the two sides in eval mode."
    o = eval_outputs(hf, ours, images, mask)
    return max_diff(o['transformers'], o['qdetlit'])

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--quick', action='store_true', help='a small model and 2 rounds (checks the script, writes nothing committed)')
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--amp', action='store_true', help='also time both sides under bfloat16 autocast')
    ap.add_argument('--out', default=None, help='the JSON to write (default: the committed results/benchmarks/deformable_hf[_amp].json)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    arch, rounds = (QUICK, 2) if a.quick else (PAPER, a.rounds)
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as d: hf, ours = build(arch, d)
    images, mask = batch()
    bypass_backbones(hf, ours, images, mask)
    diff = parity(hf, ours, images, mask)
    if max(diff.values()) > 1e-3: sys.exit(f"outputs differ (max |diff| {diff}): fix the conversion before timing")
    amp_diff = None
    if a.amp:
        f32, bf = eval_outputs(hf, ours, images, mask), eval_outputs(hf, ours, images, mask, amp=True)
        amp_diff = {k: max_diff(f32[k], bf[k]) for k in f32}               # each side's autocast vs its own float32
    times = {}
    for task, (q, h) in step_fns(hf, ours, images, mask).items():
        fns = dict(qdetlit=q, transformers=h)
        if a.amp: fns.update(qdetlit_amp=autocast(q), transformers_amp=autocast(h))
        for f in fns.values(): f()                                         # warm-up
        acc = {k: [] for k in fns}
        for _ in range(rounds):
            for k, f in fns.items():
                t0 = time.perf_counter(); f(); acc[k].append(time.perf_counter() - t0)
        times[task] = {f'{k}_ms': 1e3 * statistics.median(v) for k, v in acc.items()}
    import transformers
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    info = dict(arch=arch, images=[list(images.shape)], rounds=rounds, threads=a.threads, torch=torch.__version__,
                transformers=transformers.__version__, **describe(),
                load_start=load0, load_end=os.getloadavg()[0], git_commit=commit, parity=diff,
                date=time.strftime('%Y-%m-%d'))
    if a.amp: info['amp_vs_float32'] = amp_diff
    md = ['| task | qdetlit (ms) | transformers (ms) | speed-up (transformers / qdetlit) |', '|---|---|---|---|']
    md += [f"| {k} | {v['qdetlit_ms']:.0f} | {v['transformers_ms']:.0f} | {v['transformers_ms'] / v['qdetlit_ms']:.2f}x |" for k, v in times.items()]
    if a.amp:
        md += ['', '| task | qdetlit bf16 (ms) | transformers bf16 (ms) | transformers bf16 / qdetlit bf16 | qdetlit float32 / qdetlit bf16 | transformers float32 / qdetlit bf16 |',
               '|---|---|---|---|---|---|']
        md += [f"| {k} | {v['qdetlit_amp_ms']:.0f} | {v['transformers_amp_ms']:.0f} | {v['transformers_amp_ms'] / v['qdetlit_amp_ms']:.2f}x | "
               f"{v['qdetlit_ms'] / v['qdetlit_amp_ms']:.2f}x | {v['transformers_ms'] / v['qdetlit_amp_ms']:.2f}x |" for k, v in times.items()]
        md.append('\nautocast vs float32, max |difference| of the eval outputs: ' +
                  '; '.join(f"{k}: logits {v['logits']:.2g}, boxes {v['boxes']:.2g}" for k, v in amp_diff.items()) + '.')
    md.append(f"\nmedians of {rounds} interleaved rounds, {a.threads} thread(s), torch {torch.__version__}, transformers "
              f"{transformers.__version__}, {label(info)}, load average {load0:.1f} at start and {info['load_end']:.1f} at end; "
              f"outputs equal to {max(diff.values()):.1e}; commit {commit}.")
    text = '\n'.join(md) + '\n'
    print(text)
    Path('bench/results').mkdir(parents=True, exist_ok=True)
    Path('bench/results/deformable_hf.md').write_text(text)
    if not a.quick:
        Path(a.out or f"results/benchmarks/deformable_hf{'_amp' if a.amp else ''}.json").write_text(json.dumps(dict(info, times=times), indent=1) + '\n')

if __name__ == '__main__': main()
