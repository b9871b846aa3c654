"Checks of the exercises of lesson 04 (deformable attention)."
import torch
import torch.nn.functional as F
from qdetlit.deformable_attention import MSDeformAttn
from qdetlit.exercises import check, check_value

def _grid_sample(value, xy):
    "value [C,H,W] read at normalised points xy [P,2] with F.grid_sample -> [P,C]."
    if len(xy) == 0: return value.new_zeros(0, value.shape[0])
    grid = (2 * xy - 1).view(1, 1, -1, 2)
    return F.grid_sample(value[None], grid, mode='bilinear', padding_mode='zeros', align_corners=False)[0, :, 0].T

def _bilinear_cases():
    g = torch.Generator().manual_seed(0)
    v = torch.randn(3, 5, 7, generator=g, dtype=torch.float64)
    inside = torch.rand(20, 2, generator=g, dtype=torch.float64)
    border = torch.tensor([[0., 0.], [1., 1.], [0., 1.], [0.5, 0.], [1 / 14, 1 / 10], [13 / 14, 9 / 10]], dtype=torch.float64)
    outside = torch.tensor([[-0.05, 0.5], [1.05, 0.5], [0.5, -0.3], [2., 2.], [-1., -1.]], dtype=torch.float64)
    square = torch.arange(16., dtype=torch.float64).view(1, 4, 4)
    return [(v, inside), (v, border), (v, outside), (square, torch.tensor([[0.375, 0.625]], dtype=torch.float64)),
            (torch.randn(2, 1, 1, generator=g, dtype=torch.float64), torch.tensor([[0.5, 0.5], [0.9, 0.1]], dtype=torch.float64)),
            (v, torch.zeros(0, 2, dtype=torch.float64))]

def check_my_bilinear(fn):
    "`fn(value [C,H,W], xy [P,2]) -> [P,C]` against `F.grid_sample(align_corners=False, padding_mode='zeros')`."
    return check(fn, _grid_sample, _bilinear_cases(), name='my_bilinear', atol=1e-8)

def _library_locations(ref, off, shapes):
    "MSDeformAttn.sampling with an identity offset layer: the query *is* the flattened offsets."
    Q, M, L, K, _ = off.shape
    att = MSDeformAttn(d_model=M * L * K * 2, n_levels=L, n_heads=M, n_points=K).double()
    with torch.no_grad():
        att.sampling_offsets.weight.copy_(torch.eye(M * L * K * 2)); att.sampling_offsets.bias.zero_()
        loc, _ = att.sampling(off.reshape(1, Q, -1), ref[None, :, None].expand(1, Q, L, 2), shapes)
    return loc[0]

def _location_cases():
    g = torch.Generator().manual_seed(1)
    r = lambda *s: torch.rand(*s, generator=g, dtype=torch.float64)
    return [(r(3, 2), 4 * r(3, 2, 2, 3, 2) - 2, [(6, 4), (3, 2)]),        # non-square levels: W and H must not swap
            (r(1, 2), 8 * r(1, 4, 3, 2, 2) - 4, [(20, 30), (10, 15), (5, 8)]),
            (torch.tensor([[0., 1.]], dtype=torch.float64), torch.ones(1, 1, 1, 1, 2, dtype=torch.float64), [(2, 5)])]

def check_my_sampling_locations(fn):
    "`fn(ref [Q,2], off [Q,M,L,K,2], shapes) -> [Q,M,L,K,2]` against `MSDeformAttn.sampling`."
    return check(fn, _library_locations, _location_cases(), name='my_sampling_locations', atol=1e-8)

def check_my_n_pixels(value):
    "M*L*K bilinear reads of 4 neighbours each."
    return check_value(value, 8 * 4 * 4 * 4, name='my_n_pixels')

CHECKS = {'my_bilinear': check_my_bilinear, 'my_sampling_locations': check_my_sampling_locations, 'my_n_pixels': check_my_n_pixels}
