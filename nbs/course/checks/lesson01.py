"""Checks of lesson 01 (set prediction and bipartite matching): against qdetlit's `HungarianMatcher` and scipy."""
import math
import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from qdetlit.exercises import check, check_value
from qdetlit.matching import HungarianMatcher

def _preds(Q, T, K=4, seed=0):
    "Random logits [Q,K+1], predicted boxes [Q,4], labels [T] and target boxes [T,4] (normalised cxcywh)."
    g = torch.Generator().manual_seed(seed)
    def boxes(n): return torch.cat([0.2 + 0.6 * torch.rand(n, 2, generator=g), 0.05 + 0.3 * torch.rand(n, 2, generator=g)], -1)
    return torch.randn(Q, K + 1, generator=g), boxes(Q), torch.randint(0, K, (T,), generator=g), boxes(T)

def detr_cost_matrix(logits, pred_boxes, labels, boxes):
    "DETR's matching cost (weights 1, 5, 2) from `HungarianMatcher.cost_matrix`, for one image: [Q,T]."
    C, _ = HungarianMatcher(cost_class=1, cost_bbox=5, cost_giou=2).cost_matrix(
        {'pred_logits': logits[None], 'pred_boxes': pred_boxes[None]}, [{'labels': labels, 'boxes': boxes}])
    return C[0]

_same = _preds(3, 2, seed=3)
COST_CASES = [_preds(4, 3), _preds(6, 2, seed=1), _preds(2, 4, seed=2),     # more queries than targets, and fewer
              (_same[0], _same[1], _same[2], _same[1][:2].clone()),        # targets equal to predictions: GIoU 1, L1 0
              _preds(3, 0, seed=4)]                                        # an image without objects: [Q,0]

def check_my_cost_matrix(fn): return check(fn, detr_cost_matrix, COST_CASES, name='my_cost_matrix', show=False)

def _summary(rows, cols, C):
    "What a valid assignment must get right: its size, that it is one-to-one, and its total cost."
    C = np.asarray(C)
    r, c = np.asarray(rows, dtype=np.int64).ravel(), np.asarray(cols, dtype=np.int64).ravel()
    ok = (len(r) == len(c) and len(set(r.tolist())) == len(r) and len(set(c.tolist())) == len(c)
          and all(0 <= i < C.shape[0] for i in r) and all(0 <= j < C.shape[1] for j in c))
    return {'pairs': len(r), 'one_to_one': ok, 'total_cost': float(C[r, c].sum()) if ok else float('nan')}

def optimal_assignment(C): return _summary(*linear_sum_assignment(C), C)

_rng = np.random.default_rng(0)
MATCH_CASES = [(_rng.random((4, 3)),), (_rng.random((3, 3)),),
               (_rng.random((2, 4)),),                                     # fewer queries than targets
               (np.ones((3, 3)),),                                         # ties everywhere: any permutation is optimal
               (np.array([[1., 2, 3], [1, 2, 3], [0, 5, 1], [4, 0, 0]]),),  # tied rows and costs
               (-_rng.random((5, 2)),),                                    # negative costs (as GIoU costs are)
               (np.zeros((4, 0)),)]                                        # no targets: no pairs

def check_my_brute_force_match(fn):
    return check(lambda C: _summary(*fn(C), C), optimal_assignment, MATCH_CASES, name='my_brute_force_match', show=False)

def check_my_n_assignments(value): return check_value(value, math.perm(100, 10), name='my_n_assignments', show=False)

CHECKS = {'my_cost_matrix': check_my_cost_matrix, 'my_brute_force_match': check_my_brute_force_match,
          'my_n_assignments': check_my_n_assignments}
