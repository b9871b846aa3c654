"Solutions of the exercises of lesson 05 (iterative refinement)."
import torch

def _inverse_sigmoid(x, eps=1e-5):
    x = x.clamp(0, 1)
    return torch.log(x.clamp(min=eps) / (1 - x).clamp(min=eps))

def my_refine(delta, reference):
    "delta [...,4]; reference [...,4] boxes or [...,2] points in [0,1] -> [...,4] refined cxcywh boxes."
    if reference.shape[-1] == 4: return (delta + _inverse_sigmoid(reference)).sigmoid()
    centre = delta[..., :2] + _inverse_sigmoid(reference)
    return torch.cat([centre, delta[..., 2:]], -1).sigmoid()

def my_xyzr_to_xyxy(xyzr):
    "xyzr [...,4] (cx, cy, z, r) -> [...,4] (x0, y0, x1, y1)."
    x, y, z, r = xyzr.unbind(-1)
    w, h = 2 ** (z - r / 2), 2 ** (z + r / 2)
    return torch.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], -1)

my_zr = (6.0, -2.0)   # z = log2 sqrt(128 * 32) = log2 64, r = log2(32 / 128); dz = 1 multiplies the area by 4
