#!/usr/bin/env python
"""Faster R-CNN (qdetlit.rcnn) at teaching scale: FASTER_RCNN_TINY trained with the bench/common.py ablation budget.

Rows (same data, budget and seed):
  faster-rcnn-tiny      Co-DETR's RoI-head loss: GIoU x10 on decoded class-specific boxes (reg_decoded_bbox=True)
  faster-rcnn-tiny-l1   the standard Faster R-CNN RoI-head loss: L1 x1 on deltas (reg_decoded_bbox=False)

    python bench/rcnn.py                 # both rows -> bench/results/rcnn.md / .json (written after every row)
    python bench/rcnn.py --rows faster-rcnn-tiny
"""
import argparse, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import train_eval, write_table
from qdetlit.rcnn import FASTER_RCNN_TINY, build_faster_rcnn

ROWS = {'faster-rcnn-tiny': {}, 'faster-rcnn-tiny-l1': dict(reg_decoded_bbox=False, rcnn_bbox_weight=1.)}

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rows', nargs='+', default=list(ROWS), choices=list(ROWS))
    a = ap.parse_args()
    rows = []
    for name in a.rows:
        cfg = replace(FASTER_RCNN_TINY, **ROWS[name])
        rows.append(train_eval(lambda K, cfg=cfg: build_faster_rcnn(replace(cfg, num_classes=K)), name))
        print(write_table(rows, 'bench/results/rcnn.md', 'Faster R-CNN on Shapes (qdetlit.rcnn)'), flush=True)
