"""Solutions of lesson 06 (evaluating a detector)."""
import numpy as np
import torch

def my_precision_recall(tp, scores, n_gt):
    "Precision and recall after each detection, in score order."
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind='stable')
    n_tp = torch.as_tensor(np.asarray(tp, dtype=np.float64)[order]).cumsum(0)   # [D]
    return n_tp / torch.arange(1, len(n_tp) + 1), n_tp / n_gt

def my_interpolated_ap(tp, scores, n_gt):
    "COCO's 101-point interpolated AP from match flags."
    if n_gt == 0: return -1.
    p, r = my_precision_recall(tp, scores, n_gt)
    env = p.flip(0).cummax(0).values.flip(0) if len(p) else p   # best precision at recall >= r
    q = [env[(r >= lv).nonzero()[0, 0]].item() if (r >= lv).any() else 0. for lv in np.linspace(0, 1, 101)]
    return float(np.mean(q))

# In the lesson: sum(int(((match(det, gtb, 0.5) >= 0) & (match(det, gtb, 0.75) < 0)).sum())
#                    for i in ids for k in range(K) for det, gtb in [(det_boxes(i, k)[0], gt_boxes(i, k))])
my_n_loose = 26
