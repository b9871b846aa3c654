#!/usr/bin/env python
"""The course's capstone (nbs/course/13_capstone.ipynb): StageInteractor's cross-stage label assigner on another base,
Deformable DETR (`deformable-detr-tiny`: box refinement, 3 decoder layers), with everything else of the zoo's recipe
unchanged. The study runs as `python bench/study.py run capstone --seeds 0 1 2 --jobs 2`.

  deformable-detr-tiny        the base: one-to-one (Hungarian) classification targets at every decoder layer
  + cross-stage assigner      the same model; each layer's classification targets from the cross-stage label assigner
                              (StageInteractor's IoU gate 0.5 and its released loss normalisation)
"""
from dataclasses import replace
from qdetlit.cross_stage_assigner import CrossStageCriterion
from qdetlit.deformable_detr import DEFORMABLE_DETR_TINY, build_deformable_detr
from qdetlit.stage_interactor import StageInteractorConfig

LR_MULTS = {'sampling_offsets': 0.1, 'reference_points': 0.1}   # the zoo's deformable-detr-tiny recipe (lr 1e-3)


def build_with_assigner(cfg=DEFORMABLE_DETR_TINY, si:StageInteractorConfig=StageInteractorConfig()):
    "Deformable DETR whose criterion takes its classification targets from the cross-stage label assigner."
    model, crit, post = build_deformable_detr(cfg)
    if cfg.two_stage: raise ValueError("the cross-stage assigner replaces the decoder's targets only; use two_stage=False")
    crit = CrossStageCriterion(cfg.num_classes, crit.matcher, crit.weight_dict, True, si.assigner_iou, si.multi_hot_norm,
                               losses=crit.losses, focal_alpha=cfg.focal_alpha)
    return model, crit, post


VARIANTS = {'deformable-detr-tiny': lambda K: build_deformable_detr(replace(DEFORMABLE_DETR_TINY, num_classes=K)),
            '+ cross-stage assigner': lambda K: build_with_assigner(replace(DEFORMABLE_DETR_TINY, num_classes=K))}
