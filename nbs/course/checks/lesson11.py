"Checks of the exercises of lesson 11 (DEQDet)."
import torch
from qdetlit.deq import fixed_point_solve, perturb_content
from qdetlit.exercises import check

def _f64(x): return torch.tensor(x, dtype=torch.float64)

def _picard_cases():
    g = torch.Generator().manual_seed(0)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)
    A, b = _f64([[.5, .2], [-.1, .3]]), _f64([1., -2.])
    lin = lambda z: z @ A.T + b                                          # [B,2] -> [B,2]
    W = 0.8 * torch.linalg.qr(r(12, 12))[0]
    tanh_map = lambda z: torch.tanh(z @ W.T) + 0.5                       # [B,12] -> [B,12], Lipschitz 0.8
    return [(lin, _f64([[3., -1.]]), 30), (lin, r(5, 2), 7), (tanh_map, r(4, 12), 12),
            (tanh_map, r(3, 12), 1), (lin, r(2, 2), 0)]                  # zero steps: z0 and an empty [0,B]

def check_my_picard(fn):
    "`fn(f, z0, steps)` against `fixed_point_solve(f, z0, steps)` (Picard)."
    return check(fn, fixed_point_solve, _picard_cases(), name='my_picard', atol=1e-9)

def _linear_cases():
    g = torch.Generator().manual_seed(1)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)
    M = r(3, 20, 20); M = 0.9 * M / torch.linalg.matrix_norm(M, 2)[:, None, None]   # spectral norm 0.9
    return [(_f64([[[0.5]]]), _f64([[2.]])),                             # 1-D: z = 0.5 z + 2 -> 4
            (_f64([[[.2, .7], [-.4, .1]]]), _f64([[1., 1.]])),           # non-symmetric
            (M, r(3, 20))]

def fixed_point_by_solve(A, b):
    "torch.linalg.solve((I - A), b), batched."
    return torch.linalg.solve(torch.eye(A.shape[-1], dtype=A.dtype) - A, b)

def check_my_linear_fixed_point(fn):
    "`fn(A, b)` against `torch.linalg.solve(I - A, b)`."
    return check(fn, fixed_point_by_solve, _linear_cases(), name='my_linear_fixed_point', atol=1e-8)

def _seeded(fn, name):
    "fn(query, intensity) called with the generator seeded: (query, intensity, seed) -> fn's result."
    def run(query, intensity, seed):
        state = torch.get_rng_state()
        try: torch.manual_seed(seed); return fn(query, intensity)
        finally: torch.set_rng_state(state)
    run.__name__ = name
    return run

def _content_cases():
    g = torch.Generator().manual_seed(2)
    r = lambda *s: torch.randn(*s, generator=g)
    return [(r(64), 0.1, 0), (r(2, 30, 64), 0.1, 1), (r(5, 8), 0., 2), (r(5, 8), 1., 3), (torch.zeros(3, 8), 0.1, 4)]

def check_my_perturb_content(fn):
    "`fn(query, intensity)` against `perturb_content`, both with the same seed."
    return check(_seeded(fn, 'my_perturb_content'), _seeded(perturb_content, 'perturb_content'), _content_cases(),
                 name='my_perturb_content', atol=1e-6)

CHECKS = {'my_picard': check_my_picard, 'my_linear_fixed_point': check_my_linear_fixed_point,
          'my_perturb_content': check_my_perturb_content}
