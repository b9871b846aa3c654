"Checks of the exercises of lesson 10 (SD-DETR)."
import torch
from qdetlit.conditional_detr import ConditionalCrossAttention
from qdetlit.exercises import check, check_value
from qdetlit.sd_detr import alignment_targets

def _target_cases():
    g = torch.Generator().manual_seed(0)
    r = lambda *s: torch.rand(*s, generator=g, dtype=torch.float64)
    edge = torch.tensor([0., 1., 0.5, 1., 0.], dtype=torch.float64)
    return [(r(6), r(6)),                                             # default exponents
            (r(2, 3), r(2, 3), 0.5, 1.0),                             # other exponents, batched
            (edge, edge.flip(0)),                                     # scores and IoUs of exactly 0 and 1
            (r(4), torch.ones(4, dtype=torch.float64), 0.0, 1.0),     # alpha = 0, u = 1: the focal target 1
            (torch.zeros(0, dtype=torch.float64), torch.zeros(0, dtype=torch.float64))]

def check_my_alignment_target(fn):
    "`fn(s, u[, alpha, beta])` against `alignment_targets`."
    return check(fn, alignment_targets, _target_cases(), name='my_alignment_target', atol=1e-10)

def _block_weights(block, tgt, memory, pos, qse):
    "The [M,S] weights `block` returns for one query."
    with torch.no_grad(): return block(tgt[None, None], memory[None], pos[None], qse[None, None])[1][0, :, 0]

def _attention_cases():
    cases = []
    for seed, (d, M, S) in enumerate([(16, 4, 12), (32, 8, 20), (8, 1, 5), (24, 3, 1)]):
        torch.manual_seed(seed)
        block = ConditionalCrossAttention(d, M, dropout=0.).double().eval()
        with torch.no_grad():
            for p in block.parameters(): p.normal_(0, 0.5)               # biases too: a forgotten bias shows
        cases.append((block, *(torch.randn(*s, dtype=torch.float64) for s in ((d,), (S, d), (S, d), (d,)))))
    return cases

def check_my_branch_attention(fn):
    "`fn(block, tgt, memory, pos, qse)` against the weights of `ConditionalCrossAttention` (a non-first layer)."
    def ref(*a): return _block_weights(*a)
    ref.__name__ = 'ConditionalCrossAttention'
    def got(*a):
        with torch.no_grad(): return fn(*a)
    got.__name__ = getattr(fn, '__name__', 'my_branch_attention')
    return check(got, ref, _attention_cases(), name='my_branch_attention', atol=1e-8)

def check_my_fixed_point(value):
    "s = s^0.5 * 0.6 -> s^0.5 = 0.6 -> s = 0.36."
    return check_value(value, 0.36, name='my_fixed_point')

CHECKS = {'my_alignment_target': check_my_alignment_target, 'my_branch_attention': check_my_branch_attention,
          'my_fixed_point': check_my_fixed_point}
