#!/usr/bin/env python
"""One epoch of pure data loading (`for b in loader: pass`) on the ablation's Shapes data, before and after the Shapes cache.

    python bench/data_loading.py                      # 5 interleaved repeats -> results/benchmarks/data_loading.json
    python bench/data_loading.py --repeats 3 --base HEAD~1

The data are those of every ablation run (`bench/common.py`): 500 Shapes training images at 96-144 px with the
multi-scale training augmentation, batch 8, `make_loader(..., train=True, seed=0)`, 0 workers, 1 thread. Three
variants, each in its own process, in a rotating order within every repeat:

- `base`: the package as it was at the commit `--base` (`git archive`), which renders every image;
- `off`:  this tree with the cache switched off (`Shapes.cache_mb = 0`);
- `on`:   this tree with the default cache.

Each process runs `--epochs` epochs (the first fills the cache) and hashes every batch (images, mask, targets); the
hashes of all variants must be equal. Then a breakdown of one uncached epoch into its stages, per image: layout,
pixels, PIL -> tensor, each transform, the conversion to the data contract, and collation per batch.
The JSON records the thread count, torch version and the 1-minute load average; only ratios measured in one run mean anything.
"""
import argparse, hashlib, json, os, platform, statistics, subprocess, sys, tarfile, tempfile, time, io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = dict(n_images=500, batch_size=8, min_size=96, max_size=144, augment='multiscale')


def _loader(cache:bool):
    import torch
    from qdetlit.datasets import load_split
    from qdetlit.data import make_loader
    ds = load_split('shapes', 'train', True, DATA['min_size'], DATA['max_size'], DATA['n_images'], augment=DATA['augment'])
    if not cache: ds.images.cache_mb = 0
    torch.manual_seed(0)
    return make_loader(ds, DATA['batch_size'], True, seed=0)


def _digest(batches)->str:
    h = hashlib.sha1()
    for b in batches:
        h.update(b.images.numpy().tobytes()); h.update(b.mask.numpy().tobytes())
        for t in b.targets:
            for k in sorted(t): h.update(k.encode()); h.update(t[k].numpy().tobytes() if hasattr(t[k], 'numpy') else repr(t[k]).encode())
    return h.hexdigest()


def worker(variant:str, epochs:int, threads:int)->dict:
    "Time `epochs` epochs of the loader of `variant` in this process."
    import torch
    torch.set_num_threads(threads)
    dl = _loader(cache=variant == 'on')
    times, digests = [], []
    for _ in range(epochs):
        t0 = time.perf_counter(); batches = [b for b in dl]; times.append(time.perf_counter() - t0)
        digests.append(_digest(batches))
    import qdetlit
    return dict(variant=variant, package=qdetlit.__file__, epoch_s=times, digests=digests, load_avg_1m=os.getloadavg()[0])


def stages(threads:int)->dict:
    "Seconds per image (collation: per batch) of each stage of one uncached epoch."
    import torch
    from torchvision import tv_tensors
    from torchvision.transforms.v2 import functional as TF
    from qdetlit.data import check_image, to_rgb, to_contract, collate
    torch.set_num_threads(threads)
    dl = _loader(cache=False); ds = dl.dataset; S = ds.images; torch.manual_seed(0)
    n = len(ds) - len(ds) % DATA['batch_size']
    def per_image(f, xs):
        t0 = time.perf_counter(); out = [f(x) for x in xs]; return out, (time.perf_counter() - t0) / len(xs)
    out = {}
    _, out['layout'] = per_image(S.layout, range(n))
    imgs, t = per_image(S.render, range(n)); out['pixels'] = t - out['layout']
    def to_tensor(k):
        info = ds.coco.imgs[ds.ids[k]]; check_image(imgs[k], info['width'], info['height']); return tv_tensors.Image(TF.pil_to_tensor(to_rgb(imgs[k])))
    x, out['pil_to_tensor'] = per_image(to_tensor, range(n))
    items = []
    for k in range(n):  # the target dict exactly as CocoDetection.__getitem__ builds it
        a, (h, w) = ds._targets[k], x[k].shape[-2:]
        items.append((x[k], dict(boxes=tv_tensors.BoundingBoxes(torch.tensor(a['boxes']), format='XYXY', canvas_size=(h, w)),
                                 labels=torch.tensor(a['labels']), iscrowd=torch.tensor(a['iscrowd']), area=torch.tensor(a['area']),
                                 image_id=ds.ids[k], orig_size=torch.tensor([h, w]))))
    for op in ds.transforms.transforms:
        name = type(op).__name__ if type(op).__name__ != 'Compose' else 'ToDtype+Normalize'
        items, out[name] = per_image(lambda it: op(*it), items)
    items, out['to_contract'] = per_image(lambda it: to_contract(*it), items)
    bs = DATA['batch_size']
    _, out['collate_per_batch'] = per_image(collate, [items[i:i + bs] for i in range(0, n, bs)])
    cached = {k: __import__('numpy').asarray(im) for k, im in enumerate(imgs)}
    from PIL import Image
    _, out['cache_hit'] = per_image(lambda k: Image.fromarray(cached[k]), range(n))
    return out


def _run(args:list, pythonpath:Path)->dict:
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    r = subprocess.run([sys.executable, str(ROOT / 'bench/data_loading.py'), *args], env=env, capture_output=True, text=True, cwd=str(pythonpath))
    if r.returncode: raise RuntimeError(f"{' '.join(args)} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def _base_tree(rev:str, dest:Path)->str:
    "Unpack the package `qdetlit/` at commit `rev` into `dest`; return the full commit hash."
    sha = subprocess.run(['git', 'rev-parse', rev], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    tar = subprocess.run(['git', 'archive', sha, 'qdetlit'], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf: tf.extractall(dest)
    return sha


def table(res:dict)->str:
    "Markdown: median epoch times per variant and the speed-up over `base`."
    med = res['median_epoch_s']; b1, b2 = med['base']['first'], med['base']['later']
    md = ['| variant | first epoch (s) | later epochs (s) | speed-up, first | speed-up, later |', '|---|---|---|---|---|']
    for v in ('base', 'off', 'on'):
        m = med[v]; md.append(f"| {v} | {m['first']:.2f} | {m['later']:.2f} | {b1 / m['first']:.2f}x | {b2 / m['later']:.2f}x |")
    return '\n'.join(md)


def stage_table(res:dict)->str:
    st = res['median_stage_ms']; n = DATA['batch_size']
    per_img = {k: v for k, v in st.items() if k not in ('collate_per_batch', 'cache_hit')}
    per_img['collate'] = st['collate_per_batch'] / n
    tot = sum(per_img.values())
    md = ['| stage | ms / image | share |', '|---|---|---|'] + [f"| {k} | {v:.3f} | {100 * v / tot:.0f}% |" for k, v in per_img.items()]
    return '\n'.join(md + [f"| total | {tot:.3f} | 100% |", f"| (a cache hit, instead of layout + pixels) | {st['cache_hit']:.3f} | |"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--repeats', type=int, default=5); ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--base', default='d793639', help='commit of the "before" package')
    ap.add_argument('--out', default=str(ROOT / 'results/benchmarks/data_loading.json'))
    ap.add_argument('--worker', choices=['base', 'off', 'on', 'stages'], help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker == 'stages': return print(json.dumps(stages(a.threads)))
    if a.worker: return print(json.dumps(worker(a.worker, a.epochs, a.threads)))
    if a.epochs < 2: ap.error('--epochs must be >= 2 (the first epoch fills the cache)')
    import torch
    runs, stage_runs, load = [], [], [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        base_sha = _base_tree(a.base, Path(tmp))
        trees = dict(base=Path(tmp), off=ROOT, on=ROOT)
        for r in range(a.repeats):
            order = ['base', 'off', 'on'][r % 3:] + ['base', 'off', 'on'][:r % 3]
            for v in order:
                runs.append(_run(['--worker', v, '--epochs', str(a.epochs), '--threads', str(a.threads)], trees[v]))
                print(f"repeat {r} {v}: " + ' '.join(f'{t:.2f}' for t in runs[-1]['epoch_s']) + ' s', flush=True)
            stage_runs.append(_run(['--worker', 'stages', '--threads', str(a.threads)], ROOT)); load.append(os.getloadavg()[0])
    digests = {tuple(x['digests']) for x in runs}
    for x in runs:  # each variant ran the package it names
        assert (Path(x['package']).parent.parent == ROOT) == (x['variant'] != 'base'), x
        x['package'] = f'qdetlit at {base_sha[:7]} (git archive)' if x['variant'] == 'base' else 'qdetlit of this tree'
    if len(digests) != 1: raise AssertionError(f"the variants yield different batches: {[(x['variant'], x['digests'][0][:8]) for x in runs]}")
    med = {v: dict(first=statistics.median(x['epoch_s'][0] for x in runs if x['variant'] == v),
                   later=statistics.median(t for x in runs if x['variant'] == v for t in x['epoch_s'][1:])) for v in ('base', 'off', 'on')}
    res = dict(benchmark='data loading, one epoch', data=DATA, num_workers=0, threads=a.threads, epochs_per_process=a.epochs,
               repeats=a.repeats, torch=torch.__version__, python=platform.python_version(), cpu=platform.processor() or platform.machine(),
               base_commit=base_sha, identical_batches=True, batch_digests=list(digests.pop()),
               load_avg_1m=dict(min=min(load + [x['load_avg_1m'] for x in runs]), max=max(load + [x['load_avg_1m'] for x in runs]),
                                median=statistics.median(load + [x['load_avg_1m'] for x in runs])),
               median_epoch_s=med, median_stage_ms={k: 1e3 * statistics.median(s[k] for s in stage_runs) for k in stage_runs[0]},
               runs=runs, command='python bench/data_loading.py ' + ' '.join(argv or sys.argv[1:]))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1))
    print(table(res)); print(); print(stage_table(res))


if __name__ == '__main__': main()
