"Checks of the exercises of lesson 08 (StageInteractor)."
from dataclasses import replace
import torch
from qdetlit.cross_stage_assigner import cross_stage_targets
from qdetlit.exercises import check, check_value
from qdetlit.stage_interactor import STAGE_INTERACTOR_TINY, build_stage_interactor

def _squares(xs):
    "[1,N,4] cxcywh: 0.2 x 0.2 squares centred at (x, 0.5)."
    return torch.tensor([[[x, 0.5, 0.2, 0.2] for x in xs]], dtype=torch.float64)

def _pairs(q, g): return (torch.tensor(q, dtype=torch.int64), torch.tensor(g, dtype=torch.int64))

def _cases():
    "(boxes, matches, targets, K): per stage [1,N,4] boxes and one image's (query, object) matches."
    two = [dict(labels=torch.tensor([0, 2]), boxes=torch.tensor([[0.40, 0.5, 0.2, 0.2], [0.44, 0.5, 0.2, 0.2]], dtype=torch.float64))]
    hand = ([_squares([0.31, 0.50, 0.42, 0.61]), _squares([0.42, 0.53, 0.34, 0.51]), _squares([0.40, 0.42, 0.42, 0.47])],
            [[_pairs([0, 1], [0, 1])], [_pairs([1, 2], [1, 0])], [_pairs([2, 3], [0, 1])]], two, 3)
    multi = ([_squares([0.42, 0.42, 0.42, 0.70]), _squares([0.42, 0.42, 0.70, 0.70])],                 # q1 matched to g0 and g1
             [[_pairs([1, 0], [0, 1])], [_pairs([0, 1], [0, 1])]], two, 3)
    gate = ([_squares([0.40 - 0.2 * (1 - .5) / (1 + .5), 0.8])], [[_pairs([0], [0])]],                   # IoU exactly 0.5: positive
            [dict(labels=torch.tensor([1]), boxes=torch.tensor([[0.40, 0.5, 0.2, 0.2]], dtype=torch.float64))], 2)
    empty = ([_squares([0.3, 0.6])] * 3, [[_pairs([], [])]] * 3,
             [dict(labels=torch.zeros(0, dtype=torch.int64), boxes=torch.zeros(0, 4, dtype=torch.float64))], 2)
    return [hand, multi, gate, empty]

def _targets_case(boxes, matches, targets, K): return cross_stage_targets(boxes, matches, targets, K)

def count_positives_reference(T):
    "Queries with at least one positive class, per stage, summed over the batch: [L] int64."
    return torch.stack([(t.sum(-1) > 0).sum() for t in T]) if len(T) else torch.zeros(0, dtype=torch.int64)

def check_my_count_positives(fn):
    "`fn(T)` on the assigner's targets of hand-made cases (multi-hot rows, an image without objects, two images)."
    cases = [(_targets_case(*c),) for c in _cases()]
    two_images = [torch.cat([a, b]) for a, b in zip(cases[0][0], _targets_case(*_cases()[0])[::-1])]
    cases.append((two_images,))
    return check(fn, count_positives_reference, cases, name='my_count_positives')

def _stage_cases():
    "(s, boxes, matches, target, K): every stage of every case, one image."
    return [(s, [b[0] for b in boxes], [m[0] for m in matches], targets[0], K)
            for boxes, matches, targets, K in _cases() for s in range(len(boxes))]

def stage_targets_reference(s, boxes, matches, target, K):
    "Stage s's targets from `cross_stage_targets` (one image): [N,K] float."
    return cross_stage_targets([b[None] for b in boxes], [[m] for m in matches], [target], K)[s][0].to(boxes[0].dtype)

def check_my_stage_targets(fn):
    "`fn(s, boxes, matches, target, K)` against `cross_stage_targets` on every stage of hand-made cases."
    return check(fn, stage_targets_reference, _stage_cases(), name='my_stage_targets', atol=0)

def check_my_n_reused(value):
    "Per stage, how many earlier stages' M a 6-stage StageInteractor (released reuse_from=2) reuses, read from the built model."
    model = build_stage_interactor(replace(STAGE_INTERACTOR_TINY, num_classes=3, num_stages=6))[0]
    return check_value(value, [st.sampling_mixing.mixing.n_reused for st in model.decoder.stages], name='my_n_reused')

CHECKS = {'my_count_positives': check_my_count_positives, 'my_stage_targets': check_my_stage_targets, 'my_n_reused': check_my_n_reused}
