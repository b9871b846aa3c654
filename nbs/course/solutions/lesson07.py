"""Solutions of lesson 07 (training on your own data)."""
import json
import torch
from qdetlit.datasets import get_dataset

def my_coco_to_cxcywh(bbox, width, height):
    "[x, y, w, h] in pixels, image width and height -> tensor [4] (cx, cy, w, h) in [0, 1], clipped to the image."
    x, y, w, h = bbox
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, width), min(y + h, height)  # clip
    return torch.tensor([(x0 + x1) / 2 / width, (y0 + y1) / 2 / height, (x1 - x0) / width, (y1 - y0) / height])

def my_coco_json(items, classes):
    "[(file_name, width, height, boxes [[x0, y0, x1, y1], ...], labels [int, ...]), ...], class names -> COCO dict."
    images, annotations = [], []
    for image_id, (file_name, width, height, boxes, labels) in enumerate(items, start=1):
        images.append({'id': image_id, 'file_name': file_name, 'width': width, 'height': height})
        for (x0, y0, x1, y1), label in zip(boxes, labels):
            w, h = x1 - x0, y1 - y0
            annotations.append({'id': len(annotations) + 1, 'image_id': image_id, 'category_id': label + 1,
                                'bbox': [x0, y0, w, h], 'area': w * h, 'iscrowd': 0})
    categories = [{'id': i + 1, 'name': name} for i, name in enumerate(classes)]
    return {'images': images, 'annotations': annotations, 'categories': categories}

_val = get_dataset('bccd', 'val').coco
my_n_platelets = len(_val.getAnnIds(catIds=_val.getCatIds(catNms=['Platelets'])))
