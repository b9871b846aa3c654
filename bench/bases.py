#!/usr/bin/env python
"""The papers' other bases at teaching scale: Co-DETR on DINO and on DAB-DETR (Co-DETR's Tables 2 and 3), and
StageInteractor's cross-stage label assigner on DINO. Three studies of bench/study.py:

    python bench/study.py run co_dino --seeds 0 1 2 --jobs 2        # dino-tiny, +atss, +atss+rcnn
    python bench/study.py run dino_assigner --seeds 0 1 2 --jobs 2  # dino-tiny (the co_dino run), + cross-stage assigner
    python bench/study.py run co_dab_detr --seeds 0 1 2 --jobs 2    # dab-detr-tiny, +atss, +atss+rcnn

DINO rows use the zoo's dino-tiny recipe (lr 1e-3, sampling offsets at 0.1x) and the studies' budget. DAB-DETR is a
single-scale DETR like Conditional DETR, which stays at AP 0 at the studies' default (stride 16, 12 epochs): its rows run
at stride 8 (`feature_level=3`) for 60 epochs at lr 5e-4, as the SD-DETR study does, and the simple-pyramid adapter of
Co-DAB-DETR turns that stride-8 memory into the levels 8, 16, 32, 64 of the other Co-DETR models.
"""
from dataclasses import replace
from qdetlit.co_detr import CO_DAB_DETR_TINY, CO_DINO_TINY, build_co_dab_detr, build_co_dino
from qdetlit.dab_detr import DAB_DETR_TINY, build_dab_detr
from qdetlit.dino import DINO_TINY, build_dino

DINO_TRAIN = dict(lr_mults={'sampling_offsets': 0.1})          # the zoo's dino-tiny recipe (lr 1e-3: the budget's)
DAB_TRAIN = dict(lr=5e-4, epochs=60)                            # bench/common.py ABLATION overrides, as bench/sd_detr.py
DAB_STRIDE8 = replace(DAB_DETR_TINY, feature_level=3)
HEADS = {'+atss': ('atss',), '+atss+rcnn': ('atss', 'rcnn')}   # Co-DETR's K=1 and K=2 (the paper's default pair)

def co_dino(heads:tuple):
    "num_classes -> Co-DINO-tiny with these auxiliary heads (and their positive queries), or plain DINO-tiny for none."
    if not heads: return lambda K: build_dino(replace(DINO_TINY, num_classes=K))
    return lambda K: build_co_dino(replace(CO_DINO_TINY, heads=heads, num_classes=K))

def co_dab_detr(heads:tuple):
    "num_classes -> Co-DAB-DETR-tiny at stride 8 with these heads, or plain DAB-DETR-tiny at stride 8 for none."
    if not heads: return lambda K: build_dab_detr(replace(DAB_STRIDE8, num_classes=K))
    cfg = replace(CO_DAB_DETR_TINY, base=DAB_STRIDE8, adapter_up=(), adapter_down=3, heads=heads)   # stride 8 -> 8, 16, 32, 64
    return lambda K: build_co_dab_detr(replace(cfg, num_classes=K))

def dino_assigner(K:int):
    "DINO-tiny whose decoder layers take their classification targets from the cross-stage label assigner."
    return build_dino(replace(DINO_TINY, cross_stage_assigner=True, num_classes=K))

CO_DINO = {'dino-tiny': co_dino(()), **{n: co_dino(h) for n, h in HEADS.items()}}
CO_DAB_DETR = {'dab-detr-tiny': co_dab_detr(()), **{n: co_dab_detr(h) for n, h in HEADS.items()}}
DINO_ASSIGNER = {'dino-tiny': co_dino(()), '+ cross-stage assigner': dino_assigner}

if __name__ == '__main__': print(__doc__)   # the rows train through bench/study.py
