"Solutions of the exercises of lesson 11 (DEQDet)."
import torch

def my_picard(f, z0, steps):
    "f: [B,D] -> [B,D]; z0 [B,D] -> (last f value [B,D], relative residuals [steps,B])."
    z, fz, res = z0, z0, []
    for _ in range(steps):
        fz = f(z)
        res.append((fz - z).norm(dim=1) / z.norm(dim=1).clamp_min(1e-12))
        z = fz
    return fz, torch.stack(res) if res else z0.new_zeros(0, z0.shape[0])

def my_linear_fixed_point(A, b):
    "A [B,D,D], b [B,D] -> z* [B,D] with z* = A z* + b, i.e. (I - A) z* = b."
    return torch.linalg.solve(torch.eye(A.shape[-1], dtype=A.dtype) - A, b)

def my_perturb_content(query, intensity):
    "query [...,d] -> (1 - intensity) query + intensity ||query|| eps, eps ~ N(0, 1) from one randn_like."
    return (1 - intensity) * query + intensity * query.norm(dim=-1, keepdim=True) * torch.randn_like(query)
