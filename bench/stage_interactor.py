#!/usr/bin/env python
"""StageInteractor ablation on Shapes (teaching scale): AdaMixer-tiny vs + cross-stage label assigner vs + operator
reuse vs both, and the full released variant (+ sub-box sampling, w/h refinement, multi-hot normaliser).

Every row: the same data, budget and seed (bench/common.py `ABLATION`: 500 train / 100 val images, 12 epochs,
batch 8, 1 thread) and the zoo's adamixer-tiny learning rate 1e-3. Rows are trained one after the other.

    python bench/stage_interactor.py                 # seed 0, five rows
    python bench/stage_interactor.py --seeds 0 1 2   # three seeds (the table reports each run; mean in the .md)

Writes bench/results/stage_interactor.{md,json} after every row (partial results survive an interrupted run) and
the mean stage-2 gate values per epoch of the reuse variants to bench/results/stage_interactor_gates.json.
"""
import argparse, json, statistics, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import train_eval, write_table
from qdetlit.adamixer import ADAMIXER_TINY, build_adamixer
from qdetlit.stage_interactor import STAGE_INTERACTOR_TINY, CascadeDynamicMixing, build_stage_interactor

OFF = dict(cross_stage_assigner=False, multi_hot_norm=False, operator_reuse=False, subbox_sampling=False, wh_refine=False)
STAGES = 6   # the papers' decoders have 6 stages: reuse then acts in stages 2-5 (reusing 1-4 earlier stages' filters)
VARIANTS = {   # reuse alone keeps AdaMixer's initialisation of W_v; the released code's zero W_v is part of the last row
    'adamixer-tiny-6': None,
    '+ assigner': dict(OFF, cross_stage_assigner=True),
    '+ operator reuse': dict(OFF, operator_reuse=True, zero_out_proj=False),
    '+ assigner + reuse': dict(OFF, cross_stage_assigner=True, operator_reuse=True, zero_out_proj=False),
    'stage-interactor-tiny-6 (all released)': {},
}
PAPER = {'adamixer-tiny-6': '42.6 (R50 1x COCO)', '+ operator reuse': '+0.4 (Table 6)', 'stage-interactor-tiny-6 (all released)': '44.8 (+2.2)'}
GATES = {}

def builder(name, flags):
    def build(K):
        if flags is None: return build_adamixer(replace(ADAMIXER_TINY, num_classes=K, num_stages=STAGES))
        model, crit, post = build_stage_interactor(replace(STAGE_INTERACTOR_TINY, num_classes=K, num_stages=STAGES, **flags))
        log = GATES.setdefault(name, [])
        for st in model.decoder.stages:
            mix = st.sampling_mixing.mixing
            if isinstance(mix, CascadeDynamicMixing) and mix.n_reused:
                def hook(mod, inp, out):   # mean gates of every training forward
                    if mod.training: log.append({k: v.mean().item() for k, v in mod.gate_stats.items()})
                mix.register_forward_hook(hook)
        return model, crit, post
    return build

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seeds', type=int, nargs='+', default=[0])
    ap.add_argument('--variants', nargs='+', default=list(VARIANTS))
    ap.add_argument('--out', default='bench/results/stage_interactor.md')
    a = ap.parse_args()
    rows = []
    for seed in a.seeds:
        for name in a.variants:
            r = train_eval(builder(f'{name} seed {seed}', VARIANTS[name]), f'{name}' if len(a.seeds) == 1 else f'{name} (seed {seed})',
                           out=f"bench/results/ablations/stage_interactor/{name.replace(' ', '_').replace('+', 'plus')}_s{seed}",
                           seed=seed, lr=1e-3)
            rows.append(r)
            text = write_table(rows, a.out, 'StageInteractor ablation on Shapes (teaching scale)', PAPER)
            Path(a.out).with_name('stage_interactor_gates.json').write_text(json.dumps(GATES))
    if len(a.seeds) > 1:
        md = ['', '| variant | mean AP | std AP | mean AP50 | mean AP75 | mean APs |', '|---|---|---|---|---|---|']
        for name in a.variants:
            rs = [r for r in rows if r['name'].startswith(name + ' (seed')]
            f = lambda k: [r[k] for r in rs]
            md.append(f"| {name} | {statistics.mean(f('AP')):.3f} | {statistics.stdev(f('AP')):.3f} | {statistics.mean(f('AP50')):.3f} | "
                      f"{statistics.mean(f('AP75')):.3f} | {statistics.mean(f('APs')):.3f} |")
        with open(a.out, 'a') as fh: fh.write('\n'.join(md) + '\n')
    print(Path(a.out).read_text())
