#!/usr/bin/env python
"""SALT-Net ablation (issue 7): GFLv2-tiny vs + SALT (coarse GIoU to the ground truth, the released code) vs
+ SALT + SDR (our reconstruction: `sdr='add'`, GIoU of the coarse box to the detached refined box), same budget and
seed (bench/common.py defaults on Shapes; all of BCCD at a larger input size).

    python bench/salt.py                 # Shapes, then BCCD  -> bench/results/salt_shapes.md, salt_bccd.md (+ .json)
    python bench/salt.py --data shapes   # one dataset
    python bench/salt.py --data shapes --epochs 6 --train-images 240   # a smaller budget (files get a -e6-n240 suffix)
    python bench/salt.py --data shapes --epochs 6 --train-images 240 --only salt-sdr-replace-tiny   # the other SDR form

At the default budget the GFLv2 row on Shapes is taken from bench/results/gfl.json (bench/gfl.py trains the same model
with the same seed and settings) when that file already has it.
"""
import argparse, json, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import train_eval, write_table
from qdetlit.gfl import GFLV2_TINY, build_gfl
from qdetlit.salt import SALT_TINY, build_salt

SDR_WARMUP = 250   # training steps (about a third of the ablation budget's 750) before SDR has its full weight
PAPER = {'gflv2-tiny': 'GFLv2 R50 1x COCO: 41.0', 'salt-tiny': 'SALT R50 1x COCO: 42.5 (code: GIoU coarse loss)',
         'salt-sdr-tiny': 'no public number for our SDR form', 'salt-sdr-replace-tiny': 'no public number for our SDR form'}
VARIANTS = [('gflv2-tiny', lambda K: build_gfl(replace(GFLV2_TINY, num_classes=K))),
            ('salt-tiny', lambda K: build_salt(replace(SALT_TINY, num_classes=K))),
            ('salt-sdr-tiny', lambda K: build_salt(replace(SALT_TINY, num_classes=K, sdr='add', sdr_warmup=SDR_WARMUP))),
            ('salt-sdr-replace-tiny', lambda K: build_salt(replace(SALT_TINY, num_classes=K, sdr='replace', sdr_warmup=SDR_WARMUP)))]
STUDY = ('gflv2-tiny', 'salt-tiny', 'salt-sdr-tiny')   # bench/study.py's salt study (+ gfl-tiny)
SETTINGS = {'shapes': {}, # the ABLATION defaults: 500 / 100 images, 12 epochs, 96-144 px
            'bccd': dict(data='bccd', train_images=None, val_images=None, min_size=160, max_size=224)}  # all 205 / 87 images

def reused_gflv2(data:str):
    "The gflv2-tiny row of bench/gfl.py (same model, seed and settings) if it exists: no need to train it twice."
    f = Path('bench/results/gfl.json')
    if data != 'shapes' or not f.exists(): return None
    from common import ABLATION
    for r in json.loads(f.read_text()):
        if r['name'] == 'gflv2-tiny' and r['seed'] == 0 and r['settings'] == ABLATION:
            print('reusing the gflv2-tiny row of bench/results/gfl.json', flush=True)
            return {**r, 'name': 'gflv2-tiny-shapes'}
    return None

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', choices=list(SETTINGS), nargs='*', default=list(SETTINGS))
    ap.add_argument('--epochs', type=int, default=None, help='override the epochs of the ablation budget')
    ap.add_argument('--train-images', type=int, default=None, help='override the number of training images')
    ap.add_argument('--only', nargs='*', default=[v[0] for v in VARIANTS[:3]], help='variants to run (default: the first three)')
    args = ap.parse_args()
    for data in args.data:
        kw = SETTINGS[data]
        kw = {**kw, **{k: v for k, v in dict(epochs=args.epochs, train_images=args.train_images).items() if v is not None}}
        sfx = ''.join(f'-{k}{v}' for k, v in dict(e=args.epochs, n=args.train_images).items() if v is not None)
        if set(args.only) != {v[0] for v in VARIANTS[:3]}: sfx += '-' + '-'.join(args.only)
        rows = []
        for name, build in [v for v in VARIANTS if v[0] in args.only]:  # the table is rewritten after every row, so a cut-short run still leaves one
            rows.append((name == 'gflv2-tiny' and not sfx and reused_gflv2(data)) or train_eval(build, f'{name}-{data}{sfx}', **kw))
            rows[-1]['name'] = name
            print(write_table(rows, f'bench/results/salt_{data}{sfx}.md', f'GFLv2 vs SALT vs SALT + SDR (tiny) on {data}', PAPER), flush=True)
