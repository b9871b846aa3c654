"""Solutions of lesson 00 (boxes, IoU and GIoU)."""
import torch

def my_box_cxcywh_to_xyxy(boxes):
    "[...,4] (cx, cy, w, h) -> [...,4] (x0, y0, x1, y1)."
    cx, cy, w, h = boxes.unbind(-1)
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1)

def my_giou(a, b):
    "[N,4], [M,4] xyxy -> [N,M] generalised IoU."
    lt, rb = torch.max(a[:, None, :2], b[None, :, :2]), torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)                           # [N,M]
    union = (a[:, 2:] - a[:, :2]).prod(-1)[:, None] + (b[:, 2:] - b[:, :2]).prod(-1)[None] - inter
    elt, erb = torch.min(a[:, None, :2], b[None, :, :2]), torch.max(a[:, None, 2:], b[None, :, 2:])
    encl = (erb - elt).prod(-1)                                       # [N,M] smallest enclosing box
    return inter / union - (encl - union) / encl

# (0,0,2,2) and (3,0,5,2): no intersection, union 4 + 4 = 8, enclosing box 5 x 2 = 10
my_giou_gap = 0 - (10 - 8) / 10
