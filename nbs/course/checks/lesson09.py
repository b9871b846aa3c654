"Checks of the exercises of lesson 09 (Co-DETR)."
import torch
from qdetlit.assigners import anchors_from_points, atss_assign, level_priors
from qdetlit.co_detr import Candidates, select_queries
from qdetlit.exercises import check, check_value

def _atss_reference(anchors, num_level_priors, gt, topk):
    return atss_assign(anchors, num_level_priors, gt, torch.zeros(len(gt), dtype=torch.long), topk).gt_inds

def _anchors(sizes, strides, scale=4.):
    pts, st, nlp = level_priors(sizes, strides, dtype=torch.float64)
    return anchors_from_points(pts, st, scale), nlp

def _atss_cases():
    a2, n2 = _anchors([(8, 10), (4, 5)], [8, 16])              # 80 + 20 anchors
    a3, n3 = _anchors([(6, 6), (3, 3), (2, 2)], [8, 16, 32])   # the last level has 4 < topk anchors
    t = lambda *b: torch.tensor(b, dtype=torch.float64)
    return [(a2, n2, t([13.3, 17.9, 45.2, 41.6]), 9),                                  # one object
            (a2, n2, t([10.2, 12.7, 50.9, 47.1], [30.6, 22.3, 71.8, 60.4]), 9),        # two overlapping objects
            (a3, n3, t([3.1, 5.3, 20.7, 15.2], [17.9, 11.4, 44.6, 43.7]), 9),         # small levels
            (a2, n2, t([21.4, 9.8, 60.3, 30.1]), 3),                                   # another topk
            (a2, n2, torch.zeros(0, 4, dtype=torch.float64), 9)]                      # no object

def check_my_atss_assign(fn):
    "`fn(anchors, num_level_priors, gt, topk)` against `atss_assign(...).gt_inds`."
    return check(fn, _atss_reference, _atss_cases(), name='my_atss_assign')

def _num_queries_reference(num_pos, max_pos, min_pos):
    "The M of `select_queries` on candidates with `num_pos` positives (and enough negatives) per image."
    labels = [torch.tensor([0] * n + [1] * (max_pos + min_pos)) for n in num_pos]   # K = 1: label 1 is background
    c = Candidates([torch.zeros(len(l), 4) for l in labels], labels, [torch.zeros(len(l), 4) for l in labels],
                   [torch.zeros(len(l), 2) for l in labels])
    return select_queries(c, 1, max_pos, min_pos, torch.Generator().manual_seed(0))['boxes'].shape[1]

def check_my_num_queries(fn):
    "`fn(num_pos, max_pos, min_pos)` against the number of queries `select_queries` gives each image."
    cases = [([2, 12], 300, 9), ([2, 12], 10, 9), ([0, 0], 300, 9), ([400, 3], 300, 9), ([15], 300, 9), ([5, 1], 300, 1), ([0], 300, 1)]
    return check(fn, _num_queries_reference, cases, name='my_num_queries')

def check_my_inference_modules(value):
    "Only the base detector runs in evaluation mode."
    if value is not None and not isinstance(value, str): value = sorted(value)
    return check_value(value, ['detector'], name='my_inference_modules')

CHECKS = {'my_atss_assign': check_my_atss_assign, 'my_num_queries': check_my_num_queries,
          'my_inference_modules': check_my_inference_modules}
