"""DEQDet benchmarks (nbs/api/13_deq.ipynb); VARIANTS are also the DEQ study's (`python bench/study.py run deq`).

    python bench/deq.py paper-memory  # the official widths (R50, d 256, 100 queries), one 800x1333 image: bytes per training step
    python bench/deq.py memory        # peak training memory and time per iteration, each variant in a fresh subprocess
    torchrun --nproc_per_node 2 bench/deq.py ddp   # DDP (gloo, CPU): the memory-saving step gives the averaged gradient

Memory is measured two ways, both on CPU: (1) the peak of the bytes saved for backward by autograd (distinct
storages, parameters excluded; `qdetlit.testing.SavedTensorMeter` via `torch.autograd.graph.saved_tensors_hooks`) over
one training step; (2) the growth of the process's peak resident set size (`ru_maxrss`) during the training
iterations, in a fresh subprocess per variant, over the RSS after building the model, the optimizer and the batch
(so it includes gradients, AdamW states and allocator overhead). Results go to bench/results/deq_*.md/.json.
"""
import argparse, json, os, resource, statistics, subprocess, sys, time
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import torch

from qdetlit.adamixer import ADAMIXER_TINY, AdaMixerConfig, build_adamixer
from qdetlit.deq import DEQDET_TINY, DEQDetConfig, build_deqdet
from qdetlit.testing import SavedTensorMeter
from qdetlit.losses import weighted_loss

ADA6 = replace(ADAMIXER_TINY, num_stages=6)
VARIANTS = {
    'adamixer-tiny-6': lambda K: build_adamixer(replace(ADA6, num_classes=K)),
    'deqdet-tiny': lambda K: build_deqdet(replace(DEQDET_TINY, num_classes=K)),
    'deqdet-tiny w/o RAP': lambda K: build_deqdet(replace(DEQDET_TINY, num_classes=K, p_content=0., p_position=0.)),
    'deqdet-tiny w/o RAG (rag=1)': lambda K: build_deqdet(replace(DEQDET_TINY, num_classes=K, rag=1)),
    'deqdet-tiny, all graphs at once': lambda K: build_deqdet(replace(DEQDET_TINY, num_classes=K, grad_accumulation=False)),
}


DECODER_MULTS = dict(lr_mults={'decoder.': DEQDET_TINY.decoder_lr_mult}, wd_mults={'decoder.': DEQDET_TINY.decoder_wd_mult})  # official
EVAL_STEPS = (0, 1, 2, 3, 4, 6, 9, 12, 21)   # applications of f at inference for the AP-against-steps curve (21: official)

def fixed_batch(size, n):
    from qdetlit.data import collate
    from qdetlit.datasets import get_dataset
    from qdetlit.transforms import make_transforms
    ds = get_dataset('shapes', 'val', n_images=n, transforms=make_transforms(False, min_size=size, max_size=size + 1))
    return collate([ds[i] for i in range(n)]), len(ds.classes)


def memory_one(name, size, bs, iters):
    "One variant in this (fresh) process: saved-tensor peak, ru_maxrss growth, seconds per training step."
    torch.set_num_threads(1)
    batch, K = fixed_batch(size, bs)
    torch.manual_seed(0)
    model, crit, _ = VARIANTS[name](K)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    def step(meter=None):
        with (meter.hooks() if meter else torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t)):
            loss = weighted_loss(crit(model(batch.images, batch.mask), batch.targets), crit.weight_dict)
            loss.backward()
        opt.step(); opt.zero_grad(set_to_none=False)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(iters):
        t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    meter = SavedTensorMeter(model.parameters()); step(meter)
    return dict(name=name, size=size, batch=bs, saved_peak_mib=meter.peak / 2**20, rss_growth_mib=(rss1 - rss0) / 1024,
                s_per_iter=statistics.median(times[1:]) if len(times) > 1 else times[0], times=times,
                params_m=sum(p.numel() for p in model.parameters()) / 1e6)


def memory(sizes, bs, iters, names):
    rows = []
    for size in sizes:
        for n in names:
            r = subprocess.run([sys.executable, __file__, 'memory-one', '--name', n, '--size', str(size), '--batch', str(bs), '--iters', str(iters)],
                               capture_output=True, text=True)
            if r.returncode: raise RuntimeError(r.stderr)
            rows.append(json.loads(r.stdout.strip().splitlines()[-1])); print(json.dumps(rows[-1]), flush=True)
    md = ["| variant | image size | batch | params | saved-for-backward peak (MiB) | peak RSS growth (MiB) | s / iteration |", "|---|---|---|---|---|---|---|"]
    md += [f"| {r['name']} | {r['size']} | {r['batch']} | {r['params_m']:.2f}M | {r['saved_peak_mib']:.1f} | {r['rss_growth_mib']:.0f} | {r['s_per_iter']:.2f} |" for r in rows]
    md.append(f"\nCPU, 1 thread, {iters} training steps per variant in a fresh process (time: median of steps 2..{iters}); "
              f"1-minute load average at the end {os.getloadavg()[0]:.1f}.")
    Path('bench/results').mkdir(parents=True, exist_ok=True)
    Path('bench/results/deq_memory.md').write_text('\n'.join(md) + '\n'); Path('bench/results/deq_memory.json').write_text(json.dumps(rows, indent=1))
    print('\n'.join(md))


PAPER = {'adamixer-r50': lambda: build_adamixer(AdaMixerConfig()), 'deqdet-r50': lambda: build_deqdet(DEQDetConfig())}   # official widths

def paper_memory_one(name:str, h:int, w:int, decoder_only:bool)->dict:
    "One training step of a paper-width model (random weights, 1 image of h x w, a few objects) in this fresh process."
    torch.set_num_threads(1); torch.manual_seed(0)
    model, crit, _ = PAPER[name](); model.train()
    if decoder_only:   # backbone + neck under no_grad: what the decoder alone saves for backward
        model.backbone.requires_grad_(False); f = model.backbone.forward
        model.backbone.forward = lambda *a, **k: torch.no_grad()(f)(*a, **k)
    images, mask = torch.randn(1, 3, h, w), torch.zeros(1, h, w, dtype=torch.bool)
    boxes = torch.tensor([[.1, .1, .4, .5], [.5, .2, .9, .8], [.3, .6, .6, .95]]) * torch.tensor([w, h, w, h])
    targets = [dict(boxes=boxes, labels=torch.tensor([1, 5, 17]), size=torch.tensor([h, w]), orig_size=torch.tensor([h, w]))]
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4)
    meter = SavedTensorMeter(model.parameters())
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; t0 = time.perf_counter()
    with meter.hooks():
        loss = weighted_loss(crit(model(images, mask), targets), crit.weight_dict); loss.backward()
    opt.step()
    pbytes = sum(p.numel() * p.element_size() for p in params)
    state = sum(v.numel() * v.element_size() for st in opt.state.values() for v in st.values() if torch.is_tensor(v) and v.dim())
    return dict(name=name, size=[h, w], decoder_only=decoder_only, params_m=sum(p.numel() for p in model.parameters()) / 1e6,
                trainable_mib=pbytes / 2**20, grad_mib=pbytes / 2**20, adamw_state_mib=state / 2**20, saved_peak_mib=meter.peak / 2**20,
                rss_growth_mib=(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024, step_s=time.perf_counter() - t0)

def paper_memory(h:int, w:int, out:str):
    "Both paper-width models, whole model and decoder only, each in a fresh process; JSON (+ the machine) to `out`."
    rows = []
    for dec in (False, True):
        for n in PAPER:
            r = subprocess.run([sys.executable, __file__, 'paper-memory-one', '--name', n, '--size', str(h), '--width', str(w)] +
                               (['--decoder-only'] if dec else []), capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})
            if r.returncode: raise RuntimeError(r.stderr[-3000:])
            rows.append(json.loads(r.stdout.strip().splitlines()[-1])); print(json.dumps(rows[-1]), flush=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(dict(benchmark='deq paper-width memory', device='cpu', torch=torch.__version__,
                                         command=f'python bench/deq.py paper-memory --size {h} --width {w}', rows=rows), indent=1))

def ddp_check():
    "Under torchrun (2 processes, gloo): DDP without find_unused_parameters gives the mean of the per-process gradients."
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel
    dist.init_process_group('gloo'); rank, world = dist.get_rank(), dist.get_world_size()
    torch.set_num_threads(1)
    from qdetlit.data import collate
    from qdetlit.datasets import get_dataset
    from qdetlit.transforms import make_transforms
    ds = get_dataset('shapes', 'val', n_images=40, transforms=make_transforms(False, min_size=96, max_size=128))
    # one image per process, with the same number of objects (the loss normaliser is averaged over processes)
    by_n = {}
    for i in range(len(ds)): by_n.setdefault(len(ds[i][1]['labels']), []).append(i)
    idx = next(v for v in by_n.values() if len(v) >= world)[rank]
    batch = collate([ds[idx]])
    cfg = replace(DEQDET_TINY, num_classes=len(ds.classes), p_content=0.5, p_position=0.5)
    def grads(use_ddp):
        torch.manual_seed(0); model, crit, _ = build_deqdet(cfg); model.train()
        net = DistributedDataParallel(model) if use_ddp else model
        torch.manual_seed(1 + rank)
        loss = weighted_loss(crit(net(batch.images, batch.mask), batch.targets), crit.weight_dict); loss.backward()
        return {n: p.grad.clone() for n, p in model.named_parameters()}
    ref = grads(False); local = {n: g.clone() for n, g in ref.items()}
    for g in ref.values(): dist.all_reduce(g); g /= world
    spread = max(((local[n] - ref[n]).abs().max() / ref[n].abs().max().clamp_min(1e-12)).item() for n in ref)
    got = grads(True)
    diff = max(((got[n] - ref[n]).abs().max() / ref[n].abs().max().clamp_min(1e-12)).item() for n in ref)
    if rank == 0:
        print(f"DDP ({world} processes, find_unused_parameters=False): max relative difference to the mean of the "
              f"per-process gradients over {len(ref)} parameters: {diff:.1e} (this process's own gradient differs from the mean by {spread:.1e})", flush=True)
        Path('bench/results').mkdir(parents=True, exist_ok=True)
        Path('bench/results/deq_ddp.txt').write_text(f"world {world}, max relative gradient difference {diff:.3e}, own vs mean {spread:.3e}\n")
    dist.destroy_process_group()
    if diff > 1e-4: sys.exit(1)


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('what', choices=['memory', 'memory-one', 'paper-memory', 'paper-memory-one', 'ddp'])
    ap.add_argument('--names', nargs='*', default=None)
    ap.add_argument('--name'); ap.add_argument('--sizes', type=int, nargs='*', default=[128, 384])
    ap.add_argument('--size', type=int); ap.add_argument('--batch', type=int, default=8); ap.add_argument('--iters', type=int, default=4)
    ap.add_argument('--width', type=int, default=1333); ap.add_argument('--decoder-only', action='store_true')
    ap.add_argument('--out', default='results/benchmarks/deq_paper_memory.json')
    a = ap.parse_args()
    if a.what == 'memory': memory(a.sizes, a.batch, a.iters, a.names or ['adamixer-tiny-6', 'deqdet-tiny', 'deqdet-tiny, all graphs at once'])
    elif a.what == 'memory-one': print(json.dumps(memory_one(a.name, a.size, a.batch, a.iters)))
    elif a.what == 'paper-memory': paper_memory(a.size or 800, a.width, a.out)
    elif a.what == 'paper-memory-one': print(json.dumps(paper_memory_one(a.name, a.size or 800, a.width, a.decoder_only)))
    else: ddp_check()
