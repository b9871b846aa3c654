"Checks of the exercises of lesson 12 (SALT-Net)."
import torch
import torch.nn.functional as F
from qdetlit.assigners import distance2bbox
from qdetlit.exercises import check
from qdetlit.gfl_losses import Integral

def grid_sample_at(f, pts):
    "f [C,H,W], pts [N,2] (y, x) in cell units (cell centres at integers) -> [N,C], bilinear, zero outside."
    C, H, W = f.shape
    grid = torch.stack([(2 * pts[:, 1] + 1) / W - 1, (2 * pts[:, 0] + 1) / H - 1], -1)   # [N,2] (x, y) in [-1, 1]
    return F.grid_sample(f[None], grid[None, None].to(f.dtype), align_corners=False, padding_mode='zeros')[0, :, 0].T

def _bilinear_cases():
    g = torch.Generator().manual_seed(0)
    r = lambda *s: torch.rand(*s, generator=g, dtype=torch.float64)
    f = torch.randn(3, 5, 7, generator=g, dtype=torch.float64)
    inside = r(6, 2) * torch.tensor([4., 6.], dtype=torch.float64)
    integer = torch.tensor([[0., 0.], [4., 6.], [2., 3.]], dtype=torch.float64)          # exactly on cells
    border = torch.tensor([[-0.5, 3.], [2., -0.25], [4.5, 6.5], [-0.9, -0.9]], dtype=torch.float64)   # half outside
    far = torch.tensor([[-3., 2.], [1., 100.], [-1., -1.]], dtype=torch.float64)         # entirely outside: 0
    one = torch.randn(2, 1, 1, generator=g, dtype=torch.float64)
    return [(f, inside), (f, integer), (f, border), (f, far), (one, torch.tensor([[0., 0.], [0.3, -0.2]], dtype=torch.float64)),
            (f, torch.zeros(0, 2, dtype=torch.float64))]

def check_my_bilinear(fn):
    "`fn(f, pts)` against `F.grid_sample` (bilinear, zero padding) at cell-unit points."
    return check(fn, grid_sample_at, _bilinear_cases(), name='my_bilinear', atol=1e-9)

def integral(R): return Integral(R.shape[-1] // 4 - 1)(R)

def _integral_cases():
    g = torch.Generator().manual_seed(1)
    rn = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)
    peaked = torch.full((2, 68), -30., dtype=torch.float64); peaked[0, 5] = peaked[0, 17 + 16] = 30.; peaked[1, ::17] = 30.
    return [(rn(5, 68),), (3 * rn(2, 4, 68),), (rn(3, 32),), (peaked,), (torch.zeros(1, 68, dtype=torch.float64),),
            (1000 * rn(2, 68),), (torch.zeros(0, 68, dtype=torch.float64),)]

def check_my_integral(fn):
    "`fn(R)` against `qdetlit.gfl_losses.Integral(n)` with n from the last dimension."
    return check(fn, integral, _integral_cases(), name='my_integral', atol=1e-7)

def distance2bbox_twice(points, strides, coarse, reg):
    s = strides[:, None]
    return distance2bbox(points, coarse * s), distance2bbox(points, integral(reg) * s)

def _boxes_cases():
    g = torch.Generator().manual_seed(2)
    r = lambda *s: torch.rand(*s, generator=g, dtype=torch.float64)
    pts, st = 100 * r(6, 2), torch.tensor([4., 4, 8, 8, 16, 32], dtype=torch.float64)
    return [(pts, st, 3 * r(2, 6, 4), torch.randn(2, 6, 68, generator=g, dtype=torch.float64)),
            (pts, st, torch.zeros(1, 6, 4, dtype=torch.float64), torch.zeros(1, 6, 68, dtype=torch.float64)),  # a point; uniform bins
            (pts[:2], st[:2], r(3, 2, 4), torch.randn(3, 2, 32, generator=g, dtype=torch.float64)),          # 8 bins per side
            (pts[:0], st[:0], torch.zeros(2, 0, 4, dtype=torch.float64), torch.zeros(2, 0, 68, dtype=torch.float64))]

def check_my_salt_boxes(fn):
    "`fn(points, strides, coarse, reg)` against `distance2bbox` with the coarse distances and with `Integral` of `reg`."
    return check(fn, distance2bbox_twice, _boxes_cases(), name='my_salt_boxes', atol=1e-7)


CHECKS = {'my_bilinear': check_my_bilinear, 'my_integral': check_my_integral, 'my_salt_boxes': check_my_salt_boxes}
