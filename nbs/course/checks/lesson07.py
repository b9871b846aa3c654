"""Checks of lesson 07 (training on your own data): each loads a COCO json with qdetlit's `CocoDetection` and compares."""
import json, warnings
from PIL import Image
from qdetlit.data import CocoDetection, DataWarning
from qdetlit.datasets import bccd_root
from qdetlit.exercises import check, check_value

def _images(sizes:dict):
    "An in-memory image folder: file_name -> black PIL image of the size in `sizes` [(w, h)]."
    return lambda f: Image.new('RGB', sizes[f])

def CocoDetection_target(bbox, width, height):
    "The target box [4] `CocoDetection` makes of one COCO box in a width x height image (clipped to it)."
    d = dict(images=[dict(id=1, file_name='x.png', width=width, height=height)], categories=[dict(id=1, name='thing')],
             annotations=[dict(id=1, image_id=1, category_id=1, bbox=list(bbox), area=1.0, iscrowd=0)])
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DataWarning)  # a clipped box is noted, not an error
        ds = CocoDetection(d, _images({'x.png': (width, height)}), train=False)
    return ds[0][1]['boxes'][0]

CXCYWH_CASES = [([10, 20, 40, 30], 160, 120),      # inside
                ([0, 0, 30, 40], 160, 120),        # touches the left and top edges
                ([60, 10, 60, 45], 120, 120),      # touches the right edge
                ([0, 0, 100, 140], 100, 140),      # the whole image
                ([0.5, 3.25, 7.5, 2.75], 9, 7),    # fractional pixels
                ([140, 40, 50, 50], 160, 120),     # leaves the image on the right: clipped
                ([-10, -5, 30, 20], 64, 48)]       # leaves it on the left and top: clipped

def check_my_coco_to_cxcywh(fn): return check(fn, CocoDetection_target, CXCYWH_CASES, name='my_coco_to_cxcywh')

def _reference_json(items, classes):
    "A correct COCO dict of `items` (see the exercise)."
    images, anns = [], []
    for i, (f, w, h, boxes, labels) in enumerate(items, 1):
        images.append(dict(id=i, file_name=f, width=w, height=h))
        for (x0, y0, x1, y1), l in zip(boxes, labels):
            anns.append(dict(id=len(anns) + 1, image_id=i, category_id=l + 1, bbox=[x0, y0, x1 - x0, y1 - y0], area=(x1 - x0) * (y1 - y0), iscrowd=0))
    return dict(images=images, annotations=anns, categories=[dict(id=i + 1, name=c) for i, c in enumerate(classes)])

def _loaded(d, items):
    "What `CocoDetection` makes of COCO dict `d`: classes, per-file class names and target boxes, and what it repaired."
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DataWarning)
        ds = CocoDetection(json.loads(json.dumps(d)), _images({f: (w, h) for f, w, h, *_ in items}), train=False)
    files = {}
    for i, img_id in enumerate(ds.ids):
        t = ds[i][1]
        files[ds.coco.imgs[img_id]['file_name']] = dict(classes=[ds.classes[l] for l in t['labels'].tolist()], boxes=t['boxes'])
    return dict(classes=ds.classes, category_ids=list(ds.label2cat.values()), files=files, repaired=ds.report.fixes)

JSON_CASES = [([('a.png', 160, 120, [[10, 20, 50, 50], [90, 40, 140, 90]], [0, 1]), ('b.png', 120, 120, [[60, 10, 120, 55]], [0]),
                ('c.png', 100, 140, [], [])], ['red cell', 'white cell']),                       # an image without boxes
              ([('x/1.jpg', 64, 48, [[0, 0, 64, 48]], [2]), ('x/2.jpg', 64, 48, [[1.5, 2.5, 10.25, 8.0], [3, 3, 9, 9]], [0, 2])],
               ['cat', 'dog', 'bird']),                                                           # a class without boxes; borders; floats
              ([('one.png', 30, 20, [[2, 3, 12, 8]], [0])], ['thing'])]

def check_my_coco_json(fn):
    def yours(items, classes): return _loaded(fn(items, classes), items)
    def correct(items, classes): return _loaded(_reference_json(items, classes), items)
    correct.__name__ = 'CocoDetection of a correct json'
    return check(yours, correct, JSON_CASES, name='my_coco_json')

def _n_boxes(split, name):
    d = json.loads((bccd_root()/f'instances_{split}.json').read_text())
    cat = next(c['id'] for c in d['categories'] if c['name'] == name)
    return sum(a['category_id'] == cat for a in d['annotations'])

def check_my_n_platelets(value): return check_value(value, _n_boxes('val', 'Platelets'), name='my_n_platelets')

CHECKS = {'my_coco_to_cxcywh': check_my_coco_to_cxcywh, 'my_coco_json': check_my_coco_json, 'my_n_platelets': check_my_n_platelets}
