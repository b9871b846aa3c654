"""Checks of lesson 06 (evaluating a detector): precision/recall against a brute-force loop, interpolated AP against
pycocotools' COCOeval, and the loose-box count against pycocotools' matches on the lesson's data."""
import numpy as np
import torch
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
from qdetlit.exercises import check, check_value
from qdetlit.evaluation import CocoEvaluator, quiet, simulate_detections
from qdetlit.datasets import get_dataset

def ref_precision_recall(tp, scores, n_gt):
    "Brute force: sort by score (stable), then count the true positives among the first n, for every n."
    order = sorted(range(len(scores)), key=lambda i: -float(scores[i]))
    tp = [bool(tp[i]) for i in order]
    p = [sum(tp[:n]) / n for n in range(1, len(tp) + 1)]
    r = [sum(tp[:n]) / n_gt for n in range(1, len(tp) + 1)]
    return torch.tensor(p, dtype=torch.float64), torch.tensor(r, dtype=torch.float64)

def _coco(anns, img=dict(id=1, width=2000, height=2000)):
    c = COCO(); c.dataset = dict(images=[img], categories=[dict(id=1, name='thing')], annotations=anns)
    quiet(c.createIndex); return c

def ref_coco_ap(tp, scores, n_gt):
    "pycocotools' AP at one IoU threshold for detections built to match exactly as `tp` says (one image, one class)."
    box = lambda x, y: dict(bbox=[x, y, 10., 10.], area=100., iscrowd=0, image_id=1, category_id=1)
    gts = [dict(box(20. * j, 0.), id=j + 1) for j in range(n_gt)]
    order, j, dts = sorted(range(len(scores)), key=lambda i: -float(scores[i])), 0, [None] * len(scores)
    for n, i in enumerate(order):  # the k-th true positive in score order copies ground-truth box k; the rest are far away
        if tp[i]: dts[i] = box(20. * j, 0.); j += 1
        else: dts[i] = box(20. * n, 1000.)
    dts = [dict(d, id=i + 1, score=float(s)) for i, (d, s) in enumerate(zip(dts, scores))]
    E = COCOeval(_coco(gts), _coco(dts), 'bbox'); E.params.iouThrs = np.array([0.5])
    quiet(E.evaluate); quiet(E.accumulate)
    q = E.eval['precision'][0, :, 0, 0, -1]  # [101] area all, 100 detections
    return -1. if (q == -1).all() else float(q.mean())
ref_coco_ap.__name__ = 'pycocotools COCOeval'

def _t(*xs): return torch.tensor(xs, dtype=torch.bool)
def _s(*xs): return torch.tensor(xs, dtype=torch.float64)

def _pr_cases():
    g = torch.Generator().manual_seed(6)
    return [(_t(1, 0, 1, 1, 0), _s(.9, .8, .7, .6, .5), 4),
            (_t(0, 1, 1, 0, 1, 0), _s(.2, .9, .5, .7, .1, .95), 5),            # any order
            (_t(1, 0, 1), _s(.5, .5, .5), 3),                                 # ties keep their input order
            (torch.rand(20, generator=g) > .4, torch.rand(20, generator=g, dtype=torch.float64), 15),
            (_t(), _s(), 2)]                                                   # no detection

def _ap_cases():
    return _pr_cases()[:4] + [(_t(1, 1, 1), _s(.9, .8, .7), 3),               # perfect: 1
                              (_t(0, 0, 1, 1), _s(.9, .8, .7, .6), 2),         # false positives first
                              (_t(1, 0), _s(.9, .3), 10),                      # low recall
                              (_t(), _s(), 2),                                 # no detection: 0
                              (_t(0, 0), _s(.9, .8), 0),                       # no ground truth: -1
                              (_t(), _s(), 0)]

def check_my_precision_recall(fn, show=False):
    return check(fn, ref_precision_recall, _pr_cases(), name='my_precision_recall', show=show)

def check_my_interpolated_ap(fn, show=False):
    return check(fn, ref_coco_ap, _ap_cases(), name='my_interpolated_ap', atol=1e-6, show=show)

def lesson_data():
    "The lesson's ground truth (COCO dict of 3 BCCD val images) and detections, built the same way."
    ds = get_dataset('bccd', 'val'); ids = ds.ids[:3]; d = ds.coco.dataset
    gt = {'images': [i for i in d['images'] if i['id'] in ids], 'categories': d['categories'],
          'annotations': [a for a in d['annotations'] if a['image_id'] in ids]}
    dets = simulate_detections(gt, ds.label2cat, jitter=0.1, drop=0.15, n_false=3, seed=0)
    g = torch.Generator().manual_seed(1)
    for p in dets.values():
        i, j = torch.randperm(len(p['scores']), generator=g)[:2].tolist()
        p['boxes'] = torch.cat([p['boxes'], p['boxes'][i:i+1] + 3 * torch.randn(1, 4, generator=g, dtype=torch.float64)])
        p['scores'] = torch.cat([p['scores'], 0.8 * p['scores'][i:i+1]])
        p['labels'] = torch.cat([p['labels'], p['labels'][i:i+1]])
        p['labels'][j] = (p['labels'][j] + 1) % len(ds.classes)
    return ds, gt, dets

def n_loose():
    "Detections matched at IoU 0.5 but not at 0.75, counted from pycocotools' dtMatches."
    ds, gt, dets = lesson_data()
    ev = CocoEvaluator(gt, ds.label2cat); ev.update(dets); ev.summarize(); E = ev.coco_eval
    t50, t75 = (int(np.argmin(np.abs(E.params.iouThrs - t))) for t in (0.5, 0.75))
    return sum(int(((e['dtMatches'][t50] > 0) & (e['dtMatches'][t75] == 0)).sum())
               for e in E.evalImgs if e is not None and e['aRng'] == E.params.areaRng[0])

def check_my_n_loose(value, show=False):
    return check_value(value, n_loose(), name='my_n_loose', show=show)

CHECKS = {'my_precision_recall': check_my_precision_recall, 'my_interpolated_ap': check_my_interpolated_ap,
          'my_n_loose': check_my_n_loose}
