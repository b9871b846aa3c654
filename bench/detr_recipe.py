#!/usr/bin/env python
"""Which recipe makes DETR-tiny, Conditional-DETR-tiny and DAB-DETR-tiny learn on Shapes: AP against epochs for a few named settings,
each on the studies' data (bench/common.py `ABLATION`: 500 train / 100 val images, 96-144 px, batch 8, AdamW, cosine
schedule, clipping at 1, 1 thread), evaluated every `--every` epochs. Every finished setting is added to
results/benchmarks/detr_recipe.json (what the results page plots), with its command, wall time, thread count, load,
torch version and git commit; a setting already in the file is not run again unless `--force`.

    python bench/detr_recipe.py list
    python bench/detr_recipe.py run cond-l3-e50 detr-l3-e50     # named settings (see SETTINGS)
"""
import argparse, json, os, subprocess, sys, tempfile, time
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / 'results' / 'benchmarks' / 'detr_recipe.json'
# name -> (model, overrides of the model's *_TINY config, training overrides); feature_level 4 = stride 16, 3 = stride 8
SETTINGS = {
    'conditional-detr-tiny, zoo recipe (stride 16, 12 epochs)': ('conditional-detr', dict(), dict(lr=5e-4, epochs=12)),
    'conditional-detr-tiny, stride 8, 100 epochs': ('conditional-detr', dict(feature_level=3), dict(lr=5e-4, epochs=100)),
    'detr-tiny, zoo recipe (stride 16, 12 epochs)': ('detr', dict(), dict(lr=5e-4, epochs=12)),
    'detr-tiny, stride 8, 100 epochs': ('detr', dict(feature_level=3), dict(lr=5e-4, epochs=100)),
    'conditional-detr-tiny, stride 8, 200 epochs': ('conditional-detr', dict(feature_level=3), dict(lr=5e-4, epochs=200)),
    'detr-tiny, stride 8, 500 epochs': ('detr', dict(feature_level=3), dict(lr=5e-4, epochs=500)),   # DETR's own schedule length
    'dab-detr-tiny, zoo recipe (stride 16, 12 epochs)': ('dab-detr', dict(), dict(lr=5e-4, epochs=12)),
    'dab-detr-tiny, stride 8, 100 epochs': ('dab-detr', dict(feature_level=3), dict(lr=5e-4, epochs=100)),
}


def build_fn(model:str, over:dict):
    from qdetlit.detr import DETR_TINY, build_detr
    from qdetlit.conditional_detr import CONDITIONAL_DETR_TINY, build_conditional_detr
    from qdetlit.dab_detr import DAB_DETR_TINY, build_dab_detr
    base, build = {'conditional-detr': (CONDITIONAL_DETR_TINY, build_conditional_detr), 'detr': (DETR_TINY, build_detr),
                   'dab-detr': (DAB_DETR_TINY, build_dab_detr)}[model]
    cfg = replace(base, **over)
    return lambda K: build(replace(cfg, num_classes=K))


def run_one(name:str, every:int, seed:int=0)->dict:
    import torch
    from common import ablation_learner
    model, over, train = SETTINGS[name]
    with tempfile.TemporaryDirectory() as tmp:
        L, S, recipe = ablation_learner(build_fn(model, over), tmp, seed, 1, **train)
        L.eval_every = every
        load0, t0 = os.getloadavg()[0], time.perf_counter(); hist = L.fit(); wall = time.perf_counter() - t0
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return dict(name=name, model=model, config_overrides=over, settings=S, seed=seed, wall_s=wall, threads=1, load_start=load0,
                load_end=os.getloadavg()[0], torch=torch.__version__, device='cpu', git_commit=commit,
                command=f"python bench/detr_recipe.py run '{name}'",
                curve=[dict(epoch=i + 1, loss=h['train_loss'], **{k: h[k] for k in ('AP', 'AP50', 'AP75') if k in h}) for i, h in enumerate(hist)])


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('what', choices=['list', 'run']); ap.add_argument('names', nargs='*')
    ap.add_argument('--every', type=int, default=5, help='evaluate every N epochs (and after the last)')
    ap.add_argument('--force', action='store_true', help='run a setting again although the file has it')
    ap.add_argument('--out', default=str(OUT), help='the JSON file (default: results/benchmarks/detr_recipe.json of this tree)')
    a = ap.parse_args()
    OUT = Path(a.out)
    if a.what == 'list': print('\n'.join(f'{n}: {m} {o} {t}' for n, (m, o, t) in SETTINGS.items())); sys.exit()
    bad = [n for n in a.names if n not in SETTINGS]
    if bad: sys.exit(f"unknown setting(s) {bad}; known: {', '.join(SETTINGS)}")
    for n in a.names:
        have = json.loads(OUT.read_text())['runs'] if OUT.exists() else []
        if any(r['name'] == n for r in have) and not a.force: print(f'{n}: already in {OUT}'); continue
        r = run_one(n, a.every)
        have = [x for x in (json.loads(OUT.read_text())['runs'] if OUT.exists() else []) if x['name'] != n] + [r]
        OUT.parent.mkdir(parents=True, exist_ok=True)
        tmp = OUT.with_suffix('.json.tmp'); tmp.write_text(json.dumps(dict(runs=have), indent=1)); os.replace(tmp, OUT)
        print(n, [(c['epoch'], round(c['AP'], 3)) for c in r['curve'] if 'AP' in c], f'{r["wall_s"]:.0f} s', flush=True)
