"""Checks of lesson 00 (boxes, IoU and GIoU): each compares an answer with qdetlit or torchvision on chosen cases."""
import torch
from torchvision.ops import generalized_box_iou
from qdetlit.box_ops import box_cxcywh_to_xyxy
from qdetlit.exercises import check, check_value

def _cxcywh(*shape, seed=0):
    "Random normalised cxcywh boxes of shape [*shape, 4]."
    g = torch.Generator().manual_seed(seed)
    return torch.cat([torch.rand(*shape, 2, generator=g), torch.rand(*shape, 2, generator=g) * 0.5], -1)

def _xyxy(n, seed):
    "[n,4] random xyxy boxes in a 100x100 image, at least 1 pixel wide and high."
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g) * 80
    return torch.cat([xy, xy + 1 + torch.rand(n, 2, generator=g) * 40], -1)

CXCYWH_CASES = [(torch.tensor([[0.5, 0.5, 0.2, 0.4]]),),   # one box: (0.4, 0.3, 0.6, 0.7)
                (_cxcywh(6),),                              # [N,4]
                (_cxcywh(2, 3, seed=1),),                   # [B,Q,4]: any leading dims
                (torch.tensor([[0.3, 0.7, 0., 0.]]),),      # a zero-size box: both corners at the centre
                (torch.zeros(0, 4),)]                       # no boxes

def check_my_box_cxcywh_to_xyxy(fn): return check(fn, box_cxcywh_to_xyxy, CXCYWH_CASES, name='my_box_cxcywh_to_xyxy', show=False)

_SQ = torch.tensor([[0., 0, 2, 2]])
GIOU_CASES = [(torch.tensor([[0., 0, 2, 2]]), torch.tensor([[1., 1, 3, 3]])),   # overlapping: 1/7 - 2/9
              (_SQ, _SQ.clone()),                                            # identical: 1
              (_SQ, torch.tensor([[3., 0, 5, 2]])),                          # disjoint: IoU 0, GIoU < 0
              (_SQ, torch.tensor([[2., 0, 4, 2]])),                          # touching edges: GIoU 0
              (torch.tensor([[0., 0, 10, 10]]), torch.tensor([[2., 3, 4, 5]])),  # one inside the other
              (_xyxy(5, 0), _xyxy(7, 1)),                                    # [N,4] x [M,4], N != M
              (torch.zeros(0, 4), _xyxy(3, 2))]                              # no boxes on one side: [0,3]

def check_my_giou(fn): return check(fn, generalized_box_iou, GIOU_CASES, name='my_giou', show=False)

def check_my_giou_gap(value): return check_value(value, -0.2, name='my_giou_gap', show=False)

CHECKS = {'my_box_cxcywh_to_xyxy': check_my_box_cxcywh_to_xyxy, 'my_giou': check_my_giou, 'my_giou_gap': check_my_giou_gap}
