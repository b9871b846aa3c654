"Self-checks of lesson 03 (DETR): `check_<name>(fn)` compares your answer with the library."
import torch
from torch import nn
from qdetlit.exercises import check, check_value
from qdetlit.position_encoding import PositionEmbeddingSine
from qdetlit.backbone import TinyBackbone

def _masks():
    "Padding masks [B,H,W] (True on padding): no padding, padding right and below, a 1x1 map."
    m = torch.zeros(2, 5, 7, dtype=torch.bool); m[1, 3:, :] = True; m[1, :, 4:] = True
    return [torch.zeros(1, 4, 6, dtype=torch.bool), m, torch.zeros(1, 1, 1, dtype=torch.bool)]

def check_my_sine_encoding(fn):
    "`fn(mask [B,H,W], num_pos_feats)` must equal `PositionEmbeddingSine(num_pos_feats)(mask)` [B,2n,H,W]."
    def position_embedding_sine(mask, n): return PositionEmbeddingSine(n, normalize=True)(mask)
    cases = [(m, n) for m in _masks() for n in (4, 16)]
    return check(fn, position_embedding_sine, cases, name="my_sine_encoding", atol=1e-4)

def _attn_cases():
    out = []
    for seed, (d, heads, N) in enumerate([(8, 1, 5), (16, 4, 12), (16, 2, 1)]):
        g = torch.Generator().manual_seed(seed)
        attn = nn.MultiheadAttention(d, heads, batch_first=True).eval()
        with torch.no_grad():
            for p in attn.parameters(): p.copy_(torch.randn(p.shape, generator=g) * 0.5)
        out.append((torch.randn(d, generator=g), torch.randn(N, d, generator=g), torch.randn(N, d, generator=g), attn))
    return out

def check_my_cross_attention(fn):
    "`fn(query [d], key [N,d], value [N,d], attn)` must equal what `attn` (an `nn.MultiheadAttention`) returns for that one query: [d]."
    def multihead_attention(q, k, v, attn):
        with torch.no_grad(): return attn(q[None, None], k[None], v[None])[0][0, 0]
    return check(fn, multihead_attention, _attn_cases(), name='my_cross_attention', atol=1e-4)

def check_my_num_tokens(got):
    "The number of stride-16 tokens of a 96 x 144 image (the tiny backbone's C4), counted by running the backbone."
    with torch.no_grad(): (f,), _ = TinyBackbone(levels=(4,))(torch.zeros(1, 3, 96, 144), torch.zeros(1, 96, 144, dtype=torch.bool))
    return check_value(got, f.shape[-2] * f.shape[-1], name='my_num_tokens')

CHECKS = {'my_sine_encoding': check_my_sine_encoding, 'my_cross_attention': check_my_cross_attention, 'my_num_tokens': check_my_num_tokens}
