"Solutions of the exercises of lesson 09 (Co-DETR)."
import torch
from torchvision.ops import box_iou

def my_atss_assign(anchors, num_level_priors, gt, topk):
    "anchors [A,4] xyxy; num_level_priors list of A_l; gt [G,4] xyxy; topk int -> [A] long object index or -1."
    A, G = len(anchors), len(gt)
    out = torch.full((A,), -1, dtype=torch.long)
    if G == 0: return out
    ious = box_iou(anchors, gt)                                          # [A,G]
    ca, cg = (anchors[:, :2] + anchors[:, 2:]) / 2, (gt[:, :2] + gt[:, 2:]) / 2
    dist = torch.cdist(ca, cg)                                           # [A,G]
    best = torch.full((A,), -1.)
    for g in range(G):
        cand, start = [], 0
        for n in num_level_priors:
            cand.append(dist[start:start + n, g].topk(min(topk, n), largest=False).indices + start); start += n
        cand = torch.cat(cand)
        thr = ious[cand, g].mean() + ious[cand, g].std()
        x, y = ca[cand, 0], ca[cand, 1]
        inside = torch.stack([x - gt[g, 0], y - gt[g, 1], gt[g, 2] - x, gt[g, 3] - y], -1).amin(-1) > 0.01
        for a in cand[(ious[cand, g] >= thr) & inside].tolist():
            if ious[a, g] > best[a]: best[a], out[a] = ious[a, g], g
    return out

def my_num_queries(num_pos, max_pos, min_pos):
    "num_pos: list of positives per image -> M, the number of queries per image of this head."
    return max(min_pos, min(max_pos, max(num_pos)))

my_inference_modules = {'detector'}   # the heads' losses also update the adapter and, through it, the detector's encoder and backbone
