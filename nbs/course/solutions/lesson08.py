"Solutions of the exercises of lesson 08 (StageInteractor)."
import torch
from torchvision.ops import box_convert, box_iou

def my_count_positives(T):
    "T: L tensors [B,N,K] of multi-hot targets -> [L] int64, the queries with at least one positive class per stage."
    return torch.tensor([int((t.sum(-1) > 0).sum()) for t in T], dtype=torch.int64)

def my_candidates(s, L):
    "Stage s itself, the stage before it and every later one."
    return [s] + ([s - 1] if s > 0 else []) + list(range(s + 1, L))

def my_stage_targets(s, boxes, matches, target, K, thr=0.5):
    "One image: boxes L x [N,4] cxcywh, matches L x (query [T'], object [T']) -> stage s's targets [N,K]."
    N = boxes[s].shape[0]
    T = torch.zeros(N, K, dtype=boxes[s].dtype)
    for t in my_candidates(s, len(boxes)):
        for q, g in zip(matches[t][0].tolist(), matches[t][1].tolist()):
            iou = box_iou(box_convert(boxes[s][q][None], 'cxcywh', 'xyxy'), box_convert(target['boxes'][g][None], 'cxcywh', 'xyxy'))[0, 0]
            if iou >= thr: T[q, target['labels'][g]] = 1.
    return T

my_n_reused = [0, 0, 1, 2, 3, 4]   # stages 0 and 1 reuse nothing; stage s >= 2 reuses the M of stages 1 .. s-1
