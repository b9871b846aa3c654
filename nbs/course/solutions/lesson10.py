"Solutions of the exercises of lesson 10 (SD-DETR)."
import math
import torch

def my_alignment_target(s, u, alpha=0.25, beta=0.75):
    "s [...] scores, u [...] IoUs (both in [0,1]) -> [...] t = s^alpha * u^beta, no gradient."
    return (s.clamp(min=0) ** alpha * u.clamp(min=0) ** beta).detach()

def my_branch_attention(block, tgt, memory, pos, qse):
    "block: ConditionalCrossAttention (not first); tgt [d], memory/pos [S,d], qse [d] -> [M,S] weights."
    M = block.nhead; dh = tgt.shape[-1] // M
    cq, pq = block.ca_qcontent_proj(tgt).view(M, dh), block.ca_qpos_sine_proj(qse).view(M, dh)
    ck, pk = block.ca_kcontent_proj(memory).view(-1, M, dh), block.ca_kpos_proj(pos).view(-1, M, dh)
    logits = (torch.einsum('mc,smc->ms', cq, ck) + torch.einsum('mc,smc->ms', pq, pk)) / math.sqrt(2 * dh)
    return logits.softmax(-1)

my_fixed_point = 0.36   # s = s^0.5 * 0.6  =>  s^0.5 = 0.6  =>  s = 0.36; with alpha + beta = 1 the fixed point is the IoU itself
