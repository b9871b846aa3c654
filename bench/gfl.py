#!/usr/bin/env python
"""GFL-tiny vs GFLv2-tiny (DGQP) on Shapes with the ablation budget of bench/common.py (same data, seed, schedule).

    python bench/gfl.py            # -> bench/results/gfl.md / .json
    python bench/gfl.py --lr 2e-3  # another learning rate (rows are labelled with it)
"""
import argparse, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import train_eval, write_table
from qdetlit.gfl import GFL_TINY, GFLV2_TINY, build_gfl

PAPER = {'gfl-tiny': 'R50 1x COCO: 40.2 (mmdet)', 'gflv2-tiny': 'R50 1x COCO: 41.0 (GFocalV2)'}

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--lr', type=float, default=None, help='override the ablation lr (default 1e-3)')
    ap.add_argument('--epochs', type=int, default=None)
    args = ap.parse_args()
    kw = {k: v for k, v in dict(lr=args.lr, epochs=args.epochs).items() if v is not None}
    sfx = ''.join(f'-{k}{v:g}' for k, v in kw.items())
    rows = []
    for name, cfg in [('gfl-tiny', GFL_TINY), ('gflv2-tiny', GFLV2_TINY)]:
        rows.append(train_eval(lambda K, cfg=cfg: build_gfl(replace(cfg, num_classes=K)), name + sfx, **kw))
    print(write_table(rows, f'bench/results/gfl{sfx}.md', 'GFL vs GFLv2 (tiny) on Shapes',
                      {r['name']: PAPER[r['name'][:len(r['name']) - len(sfx)] if sfx else r['name']] for r in rows}))
