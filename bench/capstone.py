#!/usr/bin/env python
"""The course's capstone (nbs/course/13_capstone.ipynb): StageInteractor's cross-stage label assigner on another base,
Deformable DETR (`deformable-detr-tiny`: box refinement, 3 decoder layers), with everything else of the zoo's recipe
unchanged. The study runs as `python bench/study.py run capstone --seeds 0 1 2 --jobs 2`.

  deformable-detr-tiny        the base: one-to-one (Hungarian) classification targets at every decoder layer
  + cross-stage assigner      the same model; each layer's classification targets from the cross-stage label assigner
                              (StageInteractor's IoU gate 0.5 and its released loss normalisation)
"""
from dataclasses import replace
from qdetlit.cross_stage_assigner import cross_stage_criterion
from qdetlit.deformable_detr import DEFORMABLE_DETR_TINY, build_deformable_detr

LR_MULTS = {'sampling_offsets': 0.1, 'reference_points': 0.1}   # the zoo's deformable-detr-tiny recipe (lr 1e-3)


def build_with_assigner(K:int):
    "deformable-detr-tiny whose criterion takes its classification targets from the cross-stage label assigner."
    model, crit, post = build_deformable_detr(replace(DEFORMABLE_DETR_TINY, num_classes=K))
    return model, cross_stage_criterion(crit), post


VARIANTS = {'deformable-detr-tiny': lambda K: build_deformable_detr(replace(DEFORMABLE_DETR_TINY, num_classes=K)),
            '+ cross-stage assigner': build_with_assigner}
