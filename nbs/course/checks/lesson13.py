"Checks of the exercises of lesson 13 (capstone: StageInteractor's cross-stage assigner on Deformable DETR)."
import copy, math, warnings
from dataclasses import replace
import torch
from qdetlit.cross_stage_assigner import cross_stage_criterion
from qdetlit.deformable_detr import DEFORMABLE_DETR_TINY, build_deformable_detr
from qdetlit.exercises import check
from qdetlit.losses import SetCriterion
from qdetlit.studies import paired_diff, verdict
from qdetlit.testing import two_image_batch

def _outputs(targets, N=12, L=3, seed=0):
    "Deformable-DETR-like outputs for `targets`: at layer s, queries 3g+s' sit near object g (query 3g+s exactly on it), the rest random."
    g = torch.Generator().manual_seed(seed)
    K, layers = DEFORMABLE_DETR_TINY.num_classes, []
    for s in range(L):
        boxes = torch.rand(len(targets), N, 2, generator=g) * .6 + .2
        boxes = torch.cat([boxes, torch.rand(len(targets), N, 2, generator=g) * .2 + .1], -1)          # [B,N,4] random
        for b, t in enumerate(targets):
            for j, gt in enumerate(t['boxes'][:N // 3]):
                for c in range(3):                                                                   # 3 copies per object
                    noise = 0 if c == s else .03 * torch.randn(4, generator=g) * gt[2:].repeat(2)
                    boxes[b, 3 * j + c] = gt + noise
        layers.append(dict(pred_logits=torch.randn(len(targets), N, K, generator=g), pred_boxes=boxes))
    return {**layers[-1], 'aux_outputs': layers[:-1]}

def _losses(make, crit, out, targets):
    "The loss dict of `make(crit)` on (out, targets), or 'refused' when `make` raises a ValueError."
    try: c = make(crit)
    except ValueError: return 'refused'
    return {k: v.detach() for k, v in c(out, targets).items()}

def _crit_cases():
    batch, _ = two_image_batch()
    out, tg = _outputs(batch.targets), batch.targets
    crit = build_deformable_detr(DEFORMABLE_DETR_TINY)[1]
    other = copy.deepcopy(crit); other.focal_alpha, other.focal_gamma = 0.4, 1.0
    no_card = SetCriterion(crit.num_classes, crit.matcher, crit.weight_dict, losses=('labels', 'boxes'), focal=True)
    softmax = SetCriterion(crit.num_classes, crit.matcher, crit.weight_dict, focal=False)
    two_stage = build_deformable_detr(replace(DEFORMABLE_DETR_TINY, two_stage=True))[1]
    return [(c, out, tg) for c in (crit, other, no_card, softmax, two_stage)]

def cross_stage_criterion_losses(crit, out, targets):
    "The losses of `cross_stage_criterion(crit)`, or 'refused'."
    return _losses(cross_stage_criterion, crit, out, targets)

def check_my_cross_stage_criterion(fn):
    "`fn(crit)`: the same losses as `cross_stage_criterion(crit)` on fixed outputs (other focal parameters, fewer loss terms); refuses softmax and two-stage criteria."
    return check(lambda crit, out, tg: _losses(fn, crit, out, tg), cross_stage_criterion_losses, _crit_cases(), name='my_cross_stage_criterion')

def check_my_paired_diff(fn):
    "`fn(base, var)` with {seed: AP} dicts against `qdetlit.studies.paired_diff`: missing seeds, one seed, none in common, zero spread."
    cases = [({0: .30, 1: .32, 2: .35}, {0: .31, 1: .35, 2: .34}),
             ({0: .30, 1: .32, 2: .35, 4: .20}, {1: .33, 2: .36, 3: .90, 4: .25}),     # seeds 0 and 3 are not paired
             ({0: .30, 1: .42, 2: .28, 3: .33, 4: .31}, {0: .28, 1: .45, 2: .27, 3: .30, 4: .36}),
             ({0: .25, 1: .50}, {0: .375, 1: .625}),                                   # the same gain on both seeds: zero spread
             ({0: .30}, {0: .31}),                                                     # one seed: no interval
             ({0: .30}, {1: .31})]                                                     # no common seed
    with warnings.catch_warnings():   # scipy warns that the spread of identical differences is imprecise; it is exactly 0
        warnings.simplefilter('ignore', RuntimeWarning)
        return check(lambda b, v: tuple(fn(b, v)), paired_diff, cases, name='my_paired_diff')

def check_my_verdict(fn):
    "`fn(low, high, paper_sign)` against `qdetlit.studies.verdict`, including a missing interval and 0 on its border."
    cases = [(.01, .03, 1), (-.03, -.01, 1), (-.01, .02, 1), (math.nan, math.nan, 1), (0., .02, 1), (-.02, 0., 1),
             (-.03, -.01, -1), (.01, .03, -1), (-.01, .01, -1)]
    return check(fn, verdict, cases, name='my_verdict')

CHECKS = {'my_cross_stage_criterion': check_my_cross_stage_criterion, 'my_paired_diff': check_my_paired_diff, 'my_verdict': check_my_verdict}
