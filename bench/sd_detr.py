#!/usr/bin/env python
"""The variants of the SD-DETR study (`python bench/study.py run sd_detr --seeds 0 1 2 --jobs 2`), the paper's Table 2
rows added cumulatively to Conditional-DETR-tiny: + split cross-attention (DFL), + task-aware queries (TAQ), + task
alignment loss (TAL); and its Table 3 split decoder (two full decoders) as an extra row.

Every row runs at stride 8 (`feature_level=3`) for 60 epochs at lr 5e-4: at the studies' default (stride 16, 12 epochs)
Conditional-DETR-tiny stays at AP 0.000, so no row could measure anything (results/benchmarks/detr_recipe.json).
"""

BASE = dict(feature_level=3)           # SDDETRConfig overrides shared by every row
TRAIN = dict(lr=5e-4, epochs=60)       # bench/common.py ABLATION overrides

ROWS = {  # name -> SDDETRConfig overrides (cumulative, as the paper's Table 2)
    'conditional-detr-tiny': dict(decouple='none', task_aware_queries=False, alignment_loss=False),
    '+ split cross-attn (DFL)': dict(decouple='cross_attn', task_aware_queries=False, alignment_loss=False),
    '+ task-aware queries (TAQ)': dict(decouple='cross_attn', task_aware_queries=True, alignment_loss=False),
    '+ alignment loss (TAL)': dict(decouple='cross_attn', task_aware_queries=True, alignment_loss=True),
}
SPLIT = {'split decoder (Table 3)': dict(decouple='decoder', task_aware_queries=False, alignment_loss=False)}
