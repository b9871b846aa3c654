"""Solutions of lesson 01 (set prediction and bipartite matching)."""
import itertools, math
import numpy as np
import torch
from torchvision.ops import box_convert, generalized_box_iou

def my_cost_matrix(logits, pred_boxes, labels, boxes):
    "[Q,K+1] logits, [Q,4] and [T,4] normalised cxcywh boxes, [T] labels -> [Q,T] DETR matching cost."
    cost_class = -logits.softmax(-1)[:, labels]                           # [Q,T]
    cost_l1 = (pred_boxes[:, None] - boxes[None]).abs().sum(-1)           # [Q,T]
    cost_giou = -generalized_box_iou(box_convert(pred_boxes, 'cxcywh', 'xyxy'), box_convert(boxes, 'cxcywh', 'xyxy'))
    return 1 * cost_class + 5 * cost_l1 + 2 * cost_giou

def my_brute_force_match(C):
    "[Q,T] costs -> (rows, cols): the one-to-one assignment of min(Q,T) pairs with the least total cost."
    C = np.asarray(C)
    if C.shape[0] < C.shape[1]:                                           # more targets than queries: match the transpose
        cols, rows = my_brute_force_match(C.T)
        order = np.argsort(rows)
        return rows[order], cols[order]
    rows = range(C.shape[0])
    best = min(itertools.permutations(rows, C.shape[1]), key=lambda p: C[list(p), range(C.shape[1])].sum())
    rows, cols = np.array(best, dtype=np.int64), np.arange(C.shape[1])   # target j goes to query best[j]
    order = np.argsort(rows)
    return rows[order], cols[order]

# an ordered choice of 10 distinct queries out of 100, one per object: 100 * 99 * ... * 91
my_n_assignments = math.perm(100, 10)
