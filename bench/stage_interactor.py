#!/usr/bin/env python
"""The variants of the StageInteractor study (`python bench/study.py run stage_interactor --seeds 0 1 2 --jobs 2`):
AdaMixer-tiny with 6 stages vs + cross-stage label assigner vs + operator reuse vs both, and the full released variant
(+ sub-box sampling, w/h refinement, multi-hot normaliser, zero-initialised W_v). The budget is bench/common.py's
`ABLATION` with the zoo's adamixer-tiny learning rate 1e-3; the results page renders the runs.
"""
import sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from qdetlit.adamixer import ADAMIXER_TINY, build_adamixer
from qdetlit.stage_interactor import STAGE_INTERACTOR_TINY, build_stage_interactor

OFF = dict(cross_stage_assigner=False, multi_hot_norm=False, operator_reuse=False, subbox_sampling=False, wh_refine=False)
STAGES = 6   # the papers' decoders have 6 stages: reuse then acts in stages 2-5 (reusing 1-4 earlier stages' filters)
VARIANTS = {   # reuse alone keeps AdaMixer's initialisation of W_v; the released code's zero W_v is part of the last row
    'adamixer-tiny-6': None,
    '+ assigner': dict(OFF, cross_stage_assigner=True),
    '+ operator reuse': dict(OFF, operator_reuse=True, zero_out_proj=False),
    '+ assigner + reuse': dict(OFF, cross_stage_assigner=True, operator_reuse=True, zero_out_proj=False),
    'stage-interactor-tiny-6 (all released)': {},
}

def builder(name, flags):
    "num_classes -> (model, criterion, postprocess) of variant `name` (`flags`: StageInteractor config overrides, None: AdaMixer)."
    def build(K):
        if flags is None: return build_adamixer(replace(ADAMIXER_TINY, num_classes=K, num_stages=STAGES))
        return build_stage_interactor(replace(STAGE_INTERACTOR_TINY, num_classes=K, num_stages=STAGES, **flags))
    return build
