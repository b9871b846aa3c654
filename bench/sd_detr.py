#!/usr/bin/env python
"""SD-DETR ablation on Shapes (the paper's Table 2, cumulative rows, plus its Table 3 split decoder with --split-decoder):
Conditional-DETR-tiny, + split cross-attention (DFL), + task-aware queries (TAQ), + alignment loss (TAL).
Every row: the same data, budget and seed (bench/common.py's ABLATION, lr 5e-4 as the zoo's conditional-detr-tiny).

    python bench/sd_detr.py                    # 4 rows, 12 epochs
    python bench/sd_detr.py --epochs 36        # a longer budget for every row
"""
import argparse, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import train_eval, write_table
from qdetlit.sd_detr import SD_DETR_TINY, build_sd_detr

ROWS = {  # name -> SDDETRConfig overrides (cumulative, as the paper's Table 2)
    'conditional-detr-tiny': dict(decouple='none', task_aware_queries=False, alignment_loss=False),
    '+ split cross-attn (DFL)': dict(decouple='cross_attn', task_aware_queries=False, alignment_loss=False),
    '+ task-aware queries (TAQ)': dict(decouple='cross_attn', task_aware_queries=True, alignment_loss=False),
    '+ alignment loss (TAL)': dict(decouple='cross_attn', task_aware_queries=True, alignment_loss=True),
}
SPLIT = {'split decoder (Table 3)': dict(decouple='decoder', task_aware_queries=False, alignment_loss=False)}
PAPER = {'conditional-detr-tiny': '41.7', '+ split cross-attn (DFL)': '43.1', '+ task-aware queries (TAQ)': '43.6',
         '+ alignment loss (TAL)': '45.5', 'split decoder (Table 3)': '42.2'}

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--epochs', type=int, default=12)
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--split-decoder', action='store_true', help="add the paper's Table 3 row (two full decoders)")
    ap.add_argument('--rows', nargs='+', default=None, help='a subset of the row names')
    a = ap.parse_args()
    rows_cfg = {**ROWS, **(SPLIT if a.split_decoder else {})}
    names = a.rows or list(rows_cfg)
    tag = f"sd_detr_e{a.epochs}"
    rows = []
    for n in names:
        rows.append(train_eval(lambda K, kw=rows_cfg[n]: build_sd_detr(replace(SD_DETR_TINY, num_classes=K, **kw)), n,
                               out=f"bench/results/ablations/{tag}/{n.replace(' ', '_').replace('(', '').replace(')', '')}",
                               lr=a.lr, epochs=a.epochs))
        print(write_table(rows, f'bench/results/{tag}.md', f'SD-DETR ablation on Shapes ({a.epochs} epochs, lr {a.lr:g}; '
                          'paper: COCO AP, R50, 50 epochs)', PAPER), flush=True)
