"""Solutions of lesson 02 (the set loss)."""
import torch
import torch.nn.functional as F
from qdetlit.box_ops import box_cxcywh_to_xyxy, generalized_box_iou

def my_ce_term(logits, labels, pred_idx, tgt_idx, eos_coef):
    "DETR's loss_ce for one image and one matching."
    K = logits.shape[-1] - 1
    target = torch.full((len(logits),), K, dtype=torch.int64)   # [Q] no-object by default
    target[pred_idx] = labels[tgt_idx]
    w = torch.ones(K + 1); w[K] = eos_coef                      # [K+1] class weights
    nll = -logits.log_softmax(-1)[torch.arange(len(logits)), target]   # [Q]
    return (w[target] * nll).sum() / w[target].sum()

def my_l1_term(pred_boxes, tgt_boxes, pred_idx, tgt_idx):
    "DETR's loss_bbox for one image and one matching."
    return (pred_boxes[pred_idx] - tgt_boxes[tgt_idx]).abs().sum() / max(len(tgt_boxes), 1)

def my_giou_term(pred_boxes, tgt_boxes, pred_idx, tgt_idx):
    "DETR's loss_giou for one image and one matching."
    a, b = box_cxcywh_to_xyxy(pred_boxes[pred_idx]), box_cxcywh_to_xyxy(tgt_boxes[tgt_idx])   # [n,4]
    return (1 - generalized_box_iou(a, b).diagonal()).sum() / max(len(tgt_boxes), 1)
