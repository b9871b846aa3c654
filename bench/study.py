#!/usr/bin/env python
"""Run a study = variants x seeds, one process per run, resumable; every run writes one JSON file under results/.

    python bench/study.py list                                        # the studies and their variants
    python bench/study.py run stage_interactor --seeds 0 1 2 --jobs 2 # missing runs only; finished runs are never redone
    python bench/study.py run deq --variants adamixer-tiny-6 deqdet-tiny --seeds 0 1 2 3 4
    python bench/study.py run salt --budget smoke --out /tmp/results  # a tiny budget that checks the plumbing in a minute
    python bench/study.py one co_detr +atss 0                          # one run in this process (what `run` spawns)

A run file, results/<study>/<variant>/seed<N>.json, holds what the results page (nbs/explanations/05_results.ipynb)
renders and what reproduces it: study, variant, seed, the full config (budget, recipe, model config), git commit, torch
version, device, thread count and load, wall time, the per-epoch training loss, and pycocotools' stats at the
post-processing's usual score threshold (`coco`) and, for post-processors that have one, at threshold 0
(`coco_thr0`). It is written atomically, after the run, so a killed run leaves no file and is simply run again.

The budget is bench/common.py's ABLATION (500 train / 100 val Shapes images, 12 epochs, batch 8, 96-144 px, AdamW +
cosine, 1 thread per run); `--jobs N` runs N runs at once, each with one thread (on 2 cores, use --jobs 2).
"""
import argparse, dataclasses, inspect, json, os, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

SMOKE = dict(epochs=1, train_images=16, val_images=8)   # --budget smoke: the plumbing, not a measurement


def _studies()->dict:
    "study -> {'baseline': name, 'variants': {name: (build(K), train overrides)}} from the ablation scripts in bench/."
    from qdetlit.adamixer import ADAMIXER_TINY, build_adamixer
    from qdetlit.co_detr import CO_DETR_TINY, build_co_detr
    from qdetlit.deformable_detr import build_deformable_detr
    from qdetlit.gfl import GFL_TINY, GFLV2_TINY, build_gfl
    from qdetlit.sd_detr import SD_DETR_TINY, build_sd_detr
    import bases, capstone, co_detr, deq, salt, sd_detr, stage_interactor
    S = {}
    S['stage_interactor'] = dict(baseline='adamixer-tiny-6', variants={
        n: (stage_interactor.builder(n, f), dict(lr=1e-3)) for n, f in stage_interactor.VARIANTS.items()})
    S['sd_detr'] = dict(baseline='conditional-detr-tiny', variants={   # stride 8 and 60 epochs: the base learns there
        n: ((lambda K, kw=kw: build_sd_detr(replace(SD_DETR_TINY, num_classes=K, **kw))), dict(sd_detr.TRAIN))
        for n, kw in {k: {**sd_detr.BASE, **v} for k, v in {**sd_detr.ROWS, **sd_detr.SPLIT}.items()}.items()})
    S['deq'] = dict(baseline='adamixer-tiny-6', shared={'adamixer-tiny-6': 'stage_interactor'}, eval_steps=deq.EVAL_STEPS,
                    variants={n: (b, {} if n.startswith('adamixer') else dict(deq.DECODER_MULTS))
                              for n, b in deq.VARIANTS.items() if 'all graphs' not in n})
    S['salt'] = dict(baseline='gflv2-tiny', variants={
        'gfl-tiny': ((lambda K: build_gfl(replace(GFL_TINY, num_classes=K))), {}), **{n: (b, {}) for n, b in salt.VARIANTS if n in salt.STUDY}})
    def co(kw):
        cfg = replace(CO_DETR_TINY, **kw)
        if cfg.heads: return lambda K: build_co_detr(replace(cfg, num_classes=K))
        return lambda K: build_deformable_detr(replace(cfg.base, num_classes=K))   # the plain base detector
    S['co_detr'] = dict(baseline='deformable-detr-tiny-2s', variants={
        n: (co(co_detr.ROWS[n]), dict(lr_mults=co_detr.LR_MULTS)) for n in co_detr.STUDY_ROWS})
    S['capstone'] = dict(baseline='deformable-detr-tiny', variants={n: (b, dict(lr_mults=capstone.LR_MULTS)) for n, b in capstone.VARIANTS.items()})
    S['co_dino'] = dict(baseline='dino-tiny', variants={n: (b, dict(bases.DINO_TRAIN)) for n, b in bases.CO_DINO.items()})
    S['dino_assigner'] = dict(baseline='dino-tiny', shared={'dino-tiny': 'co_dino'},
                              variants={n: (b, dict(bases.DINO_TRAIN)) for n, b in bases.DINO_ASSIGNER.items()})
    S['co_dab_detr'] = dict(baseline='dab-detr-tiny', variants={n: (b, dict(bases.DAB_TRAIN)) for n, b in bases.CO_DAB_DETR.items()})
    return S


def slug(name:str)->str:
    "A file-system name for a variant: '+ assigner + reuse' -> 'plus_assigner_plus_reuse'."
    s = name.replace('+', ' plus ').replace('/', ' ').replace(',', ' ')
    return '_'.join(''.join(c if c.isalnum() or c in '-.' else ' ' for c in s).split())


def run_path(out, study, variant, seed, studies:dict|None=None)->Path:
    "results/<study>/<variant>/seed<N>.json; a variant `shared` with another study (same model, same budget) lives there."
    study = ((studies or {}).get(study, {}).get('shared') or {}).get(variant, study)
    return Path(out) / study / slug(variant) / f'seed{seed}.json'


def _git_commit()->str:
    try: return subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip() + \
                ('+dirty' if subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'], cwd=ROOT,
                                            capture_output=True, text=True).stdout.strip() else '')
    except Exception: return 'unknown'


def _config_dict(model, build)->dict:
    "The model's class, its builder's source and what the builder uses: config instances (as dicts) and override dicts."
    from qdetlit import zoo
    d = {'class': type(model).__name__}
    try: d['builder_source'] = inspect.getsource(build).strip()
    except (OSError, TypeError): pass
    seen = list(build.__defaults__ or ()) + [c.cell_contents for c in (build.__closure__ or ())] + \
           [build.__globals__[n] for n in build.__code__.co_names if n in build.__globals__]
    for i, v in enumerate(seen):
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            try: d[f'config{i}'] = zoo.config_to_dict(v)
            except TypeError: d[f'config{i}'] = dataclasses.asdict(v)
        elif isinstance(v, dict): d[f'overrides{i}'] = v
    return d


def one(study:str, variant:str, seed:int, out:str='results', budget:str='full')->Path:
    "Train and evaluate one run in this process; write its JSON file (atomically) and return its path."
    import torch
    from common import ablation_learner
    studies = _studies()
    if study not in studies: raise SystemExit(f"unknown study {study!r}; known: {', '.join(studies)}")
    if variant not in studies[study]['variants']:
        raise SystemExit(f"study {study}: unknown variant {variant!r}; known: {', '.join(studies[study]['variants'])}")
    build, over = studies[study]['variants'][variant]
    settings = {k: v for k, v in over.items() if k not in ('lr_mults', 'wd_mults')}
    if 'wd_mults' in over: settings['wd_mults'] = over['wd_mults']
    with tempfile.TemporaryDirectory() as tmp:
        L, S, recipe = ablation_learner(build, tmp, seed, 1, over.get('lr_mults'), **{**settings, **(SMOKE if budget == 'smoke' else {})})
        t0 = time.perf_counter(); hist = L.fit(); wall = time.perf_counter() - t0
        coco = {k: v for k, v in hist[-1].items() if k.startswith(('AP', 'AR')) and isinstance(v, float)}
        coco_by_steps = None
        if studies[study].get('eval_steps') and hasattr(L.model.decoder, 'test_steps'):   # AP against refinement steps
            coco_by_steps, usual = {}, L.model.decoder.test_steps
            for k in studies[study]['eval_steps']:
                L.model.decoder.test_steps = k
                coco_by_steps[k] = {n: v for n, v in L.evaluate().items() if n.startswith(('AP', 'AR')) and isinstance(v, float)}
            L.model.decoder.test_steps = usual
        coco_thr0 = None
        if hasattr(L.postprocess, 'score_thr'):
            L.postprocess.score_thr = 0.
            coco_thr0 = {k: v for k, v in L.evaluate().items() if k.startswith(('AP', 'AR')) and isinstance(v, float)}
    run = dict(study=study, variant=variant, seed=seed, budget=budget,
               config=dict(settings=S, recipe=dataclasses.asdict(recipe), model=_config_dict(L.model, build)),
               git_commit=_git_commit(), torch=torch.__version__, device='cpu', threads=torch.get_num_threads(),
               load_avg=os.getloadavg()[0], wall_s=wall, epoch_loss=[h['train_loss'] for h in hist],
               params=sum(p.numel() for p in L.model.parameters()), coco=coco, coco_thr0=coco_thr0,
               **({'coco_by_steps': coco_by_steps} if coco_by_steps else {}))
    path = run_path(out, study, variant, seed, studies); path.parent.mkdir(parents=True, exist_ok=True)
    tmpf = path.with_suffix('.json.tmp'); tmpf.write_text(json.dumps(run, indent=1, default=str)); os.replace(tmpf, path)
    print(f"{study} / {variant} / seed {seed}: AP {coco.get('AP', float('nan')):.3f} in {wall:.0f} s -> {path}", flush=True)
    return path


def run(study:str, variants:list|None, seeds:list, jobs:int=1, out:str='results', budget:str='full')->list:
    "Run every (variant, seed) of `study` whose file is missing, `jobs` processes at a time; the list of failures."
    studies = _studies()
    if study not in studies: raise SystemExit(f"unknown study {study!r}; known: {', '.join(studies)}")
    names = variants or list(studies[study]['variants'])
    bad = [v for v in names if v not in studies[study]['variants']]
    if bad: raise SystemExit(f"study {study}: unknown variant(s) {bad}; known: {', '.join(studies[study]['variants'])}")
    todo = [(v, s) for s in seeds for v in names if not run_path(out, study, v, s, studies).exists()]
    done = len(names) * len(seeds) - len(todo)
    print(f"{study}: {len(todo)} run(s) to do, {done} already done (in {out}/{study}/), {jobs} at a time", flush=True)
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'}
    def go(vs):
        v, s = vs
        r = subprocess.run([sys.executable, __file__, 'one', study, v, str(s), '--out', out, '--budget', budget], env=env, cwd=ROOT)
        return None if r.returncode == 0 else f"{v} seed {s} (exit {r.returncode})"
    with ThreadPoolExecutor(max(1, jobs)) as ex: failed = [f for f in ex.map(go, todo) if f]
    if failed: print(f"{study}: {len(failed)} run(s) failed: {'; '.join(failed)} (run the same command again to retry them)")
    return failed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    sub.add_parser('list', help='the studies and their variants')
    r = sub.add_parser('run', help='run the missing runs of a study')
    r.add_argument('study'); r.add_argument('--variants', nargs='+'); r.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    r.add_argument('--jobs', type=int, default=1); r.add_argument('--out', default='results'); r.add_argument('--budget', choices=('full', 'smoke'), default='full')
    o = sub.add_parser('one', help='one run in this process')
    o.add_argument('study'); o.add_argument('variant'); o.add_argument('seed', type=int)
    o.add_argument('--out', default='results'); o.add_argument('--budget', choices=('full', 'smoke'), default='full')
    a = ap.parse_args(argv)
    if a.cmd == 'list':
        for k, S in _studies().items(): print(f"{k} (baseline {S['baseline']}): " + ', '.join(S['variants']))
    elif a.cmd == 'run': sys.exit(1 if run(a.study, a.variants, a.seeds, a.jobs, a.out, a.budget) else 0)
    else: one(a.study, a.variant, a.seed, a.out, a.budget)


if __name__ == '__main__': main()
