"""Checks of lesson 02 (the set loss): each exercise against `qdetlit.losses.SetCriterion` on fixed matchings."""
import torch
from qdetlit.exercises import check
from qdetlit.losses import SetCriterion

def _crit(K, eos_coef, pred_idx, tgt_idx):
    "A softmax SetCriterion whose matcher always returns the given matching."
    return SetCriterion(K, lambda outputs, targets: [(pred_idx, tgt_idx)], {}, eos_coef=eos_coef, losses=('labels', 'boxes'))

def ref_ce_term(logits, labels, pred_idx, tgt_idx, eos_coef):
    "SetCriterion's loss_ce (softmax, no-object last) for one image."
    c = _crit(logits.shape[-1] - 1, eos_coef, pred_idx, tgt_idx)
    return c.loss_labels({'pred_logits': logits[None]}, [{'labels': labels}], [(pred_idx, tgt_idx)], max(len(labels), 1))['loss_ce']

def _ref_boxes(key):
    def ref(pred_boxes, tgt_boxes, pred_idx, tgt_idx):
        c = _crit(1, 0.1, pred_idx, tgt_idx)
        t = [{'boxes': tgt_boxes, 'labels': torch.zeros(len(tgt_boxes), dtype=torch.int64)}]
        return c.loss_boxes({'pred_boxes': pred_boxes[None]}, t, [(pred_idx, tgt_idx)], max(len(tgt_boxes), 1))[key]
    ref.__name__ = f'SetCriterion.loss_boxes[{key!r}]'
    return ref

def _boxes(g, n):
    "n random normalised cxcywh boxes inside the unit square."
    wh = 0.05 + 0.4 * torch.rand(n, 2, generator=g)
    return torch.cat([wh / 2 + (1 - wh) * torch.rand(n, 2, generator=g), wh], 1)

def _idx(*xs): return torch.tensor(xs, dtype=torch.int64)
_E = torch.zeros(0, dtype=torch.int64)

def _ce_cases():
    g = torch.Generator().manual_seed(2)
    lg = lambda q, k: 3 * torch.randn(q, k + 1, generator=g)
    return [(lg(6, 3), _idx(2, 0, 1), _idx(4, 0, 2), _idx(0, 1, 2), 0.1),
            (lg(6, 3), _idx(2, 0, 1), _idx(1, 5, 3), _idx(2, 0, 1), 0.1),     # matching in any order
            (lg(5, 2), _idx(1, 1), _idx(0, 3), _idx(1, 0), 1.0),             # eos_coef 1: a plain mean
            (lg(4, 3), _idx(0, 2, 1, 1), _idx(0, 1, 2, 3), _idx(3, 2, 1, 0), 0.1),  # every query matched
            (lg(4, 3), torch.zeros(0, dtype=torch.int64), _E, _E, 0.1),       # no target: all no-object
            (torch.zeros(3, 4), _idx(1), _idx(2), _idx(0), 0.3)]              # uniform logits

def _box_cases():
    g = torch.Generator().manual_seed(3)
    t = _boxes(g, 3)
    far = torch.tensor([[0.1, 0.1, 0.1, 0.1], [0.9, 0.9, 0.1, 0.1]])
    return [(_boxes(g, 6), t, _idx(4, 0, 2), _idx(0, 1, 2)),
            (_boxes(g, 6), t, _idx(1, 5), _idx(2, 0)),                       # fewer matches than targets
            (t.clone(), t, _idx(0, 1, 2), _idx(0, 1, 2)),                    # identical boxes: 0
            (far[:1], far[1:], _idx(0), _idx(0)),                            # disjoint boxes
            (_boxes(g, 4), torch.zeros(0, 4), _E, _E)]                       # no target: 0

def check_my_ce_term(fn, show=False):
    return check(fn, ref_ce_term, _ce_cases(), name='my_ce_term', show=show)

def check_my_l1_term(fn, show=False):
    return check(fn, _ref_boxes('loss_bbox'), _box_cases(), name='my_l1_term', show=show)

def check_my_giou_term(fn, show=False):
    return check(fn, _ref_boxes('loss_giou'), _box_cases(), name='my_giou_term', show=show)

CHECKS = {'my_ce_term': check_my_ce_term, 'my_l1_term': check_my_l1_term, 'my_giou_term': check_my_giou_term}
