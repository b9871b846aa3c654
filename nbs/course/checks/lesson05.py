"Checks of the exercises of lesson 05 (iterative refinement)."
import torch
from qdetlit.box_ops import box_xyzr_to_xyxy
from qdetlit.deformable_detr import box_from_reference
from qdetlit.exercises import check, check_value

def _refine_cases():
    g = torch.Generator().manual_seed(0)
    r = lambda *s: torch.rand(*s, generator=g, dtype=torch.float64)
    border = torch.tensor([[0., 1., 0.5, 1.], [1., 0., 0., 0.2]], dtype=torch.float64)
    return [(3 * r(5, 4) - 1.5, r(5, 4)),                      # boxes
            (3 * r(2, 3, 4) - 1.5, r(2, 3, 2)),                # points, batched
            (torch.zeros(2, 4, dtype=torch.float64), border),  # on the border: the clamped inverse sigmoid
            (r(1, 4) - 0.5, torch.tensor([[0., 1.]], dtype=torch.float64)),
            (torch.zeros(0, 4, dtype=torch.float64), torch.zeros(0, 4, dtype=torch.float64))]

def check_my_refine(fn):
    "`fn(delta, reference)` against `box_from_reference`."
    return check(fn, box_from_reference, _refine_cases(), name='my_refine', atol=1e-7)

def _xyzr_cases():
    g = torch.Generator().manual_seed(1)
    r = lambda *s: torch.rand(*s, generator=g, dtype=torch.float64)
    xyzr = torch.cat([100 * r(6, 2), 8 * r(6, 1), 4 * r(6, 1) - 2], -1)
    return [(xyzr,), (xyzr.view(2, 3, 4),), (torch.tensor([[5., 5, -3, 0], [0, 0, 12, 3]], dtype=torch.float64),),
            (torch.zeros(0, 4, dtype=torch.float64),)]

def check_my_xyzr_to_xyxy(fn):
    "`fn(xyzr)` against `box_xyzr_to_xyxy`."
    return check(fn, box_xyzr_to_xyxy, _xyzr_cases(), name='my_xyzr_to_xyxy', atol=1e-7)

def check_my_zr(value):
    "z = log2 sqrt(128*32) = 6, r = log2(32/128) = -2."
    return check_value(value, (6.0, -2.0), name='my_zr')

CHECKS = {'my_refine': check_my_refine, 'my_xyzr_to_xyxy': check_my_xyzr_to_xyxy, 'my_zr': check_my_zr}
