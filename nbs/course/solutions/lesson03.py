"Solutions of lesson 03 (DETR)."
import math
import torch

def my_sine_encoding(mask, num_pos_feats):
    "DETR's sine encoding of a padding mask [B,H,W] -> [B,2n,H,W]: channels PE(y) then PE(x)."
    valid = (~mask).float()
    y, x = valid.cumsum(1), valid.cumsum(2)                       # 1, 2, 3, ... along each axis
    y = y / (y[:, -1:, :] + 1e-6) * 2 * math.pi                   # normalised to (0, 2*pi]
    x = x / (x[:, :, -1:] + 1e-6) * 2 * math.pi
    i = torch.arange(num_pos_feats)
    freq = 10000 ** (2 * (i // 2) / num_pos_feats)                # [n]
    def pe(u):                                                    # [B,H,W] -> [B,H,W,n]
        a = u[..., None] / freq
        return torch.where(i % 2 == 0, a.sin(), a.cos())
    return torch.cat([pe(y), pe(x)], -1).permute(0, 3, 1, 2)

def my_cross_attention(query, key, value, attn):
    "One query [d] attending to N keys/values [N,d] through `attn`'s projections and heads -> [d]."
    d, M = query.shape[0], attn.num_heads
    Wq, Wk, Wv = attn.in_proj_weight.chunk(3); bq, bk, bv = attn.in_proj_bias.chunk(3)
    q, k, v = Wq @ query + bq, key @ Wk.T + bk, value @ Wv.T + bv  # [d], [N,d], [N,d]
    heads = []
    for h in range(M):
        s = slice(h * d // M, (h + 1) * d // M)
        w = torch.softmax(k[:, s] @ q[s] / math.sqrt(d // M), 0)   # [N] attention of head h
        heads.append(w @ v[:, s])                                  # [d/M]
    return attn.out_proj(torch.cat(heads))

my_num_tokens = 6 * 9  # ceil(96/16) x ceil(144/16)
