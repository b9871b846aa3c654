"""The ATSS and FCOS heads alone on Shapes (qdetlit.dense_heads): each tiny detector trained with the ablation budget.

Co-DETR's issue asks that each auxiliary head alone trains to non-trivial AP on Shapes; this is that check, with the
standalone tiny detectors (GFL-tiny's neck: tiny backbone + FPN on C2-C5, strides 4-32, anchors of 4 strides). Run
from the repository root:

    python bench/dense_heads.py                 # all rows (~12 min each on one loaded core)
    python bench/dense_heads.py fcos-tiny       # some rows; the table is rebuilt from every row measured so far

Rows are kept in bench/results/dense_heads/<name>.json; the table goes to bench/results/dense_heads.md.
"""
import json, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, 'bench')
from common import train_eval, write_table
from qdetlit.dense_heads import ATSS_TINY, FCOS_TINY, build_atss, build_fcos

ROWS = {'atss-tiny': lambda K: build_atss(replace(ATSS_TINY, num_classes=K)),
        'fcos-tiny': lambda K: build_fcos(replace(FCOS_TINY, num_classes=K))}
# COCO val box AP of the R50 1x models (mmdetection's configs/atss and configs/fcos READMEs; FCOS = the "tricks" config)
PAPER = {'atss-tiny': 'ATSS R50 1x: 39.3', 'fcos-tiny': 'FCOS R50 1x (tricks): 38.7'}

if __name__ == '__main__':
    names = sys.argv[1:] or list(ROWS)
    bad = set(names) - set(ROWS)
    if bad: sys.exit(f"unknown rows {sorted(bad)}; choose from {list(ROWS)}")
    store = Path('bench/results/dense_heads'); store.mkdir(parents=True, exist_ok=True)
    for n in names: (store / f'{n}.json').write_text(json.dumps(train_eval(ROWS[n], n), default=str))
    rows = [json.loads((store / f'{n}.json').read_text()) for n in ROWS if (store / f'{n}.json').exists()]
    print(write_table(rows, 'bench/results/dense_heads.md', 'ATSS and FCOS heads alone on Shapes (tiny detectors)', PAPER))
