"Solutions of the exercises of lesson 04 (deformable attention)."
import torch

def my_bilinear(value, xy):
    "value [C,H,W] read at normalised points xy [P,2] (align_corners=False, zeros outside) -> [P,C]."
    C, H, W = value.shape
    px, py = xy[:, 0] * W - 0.5, xy[:, 1] * H - 0.5          # [P] pixel coordinates
    x0, y0 = px.floor().long(), py.floor().long()
    out = value.new_zeros(len(xy), C)
    for i in (x0, x0 + 1):
        for j in (y0, y0 + 1):
            w = (1 - (px - i).abs()) * (1 - (py - j).abs())   # [P]
            inside = (i >= 0) & (i < W) & (j >= 0) & (j < H)
            v = value[:, j.clamp(0, H - 1), i.clamp(0, W - 1)].T   # [P,C]
            out += (w * inside)[:, None] * v
    return out

def my_sampling_locations(ref, off, shapes):
    "ref [Q,2] normalised (x, y); off [Q,M,L,K,2] in pixels of each level; shapes [(H_l, W_l)] -> [Q,M,L,K,2]."
    wh = torch.tensor([[w, h] for h, w in shapes], dtype=off.dtype)   # [L,2]
    return ref[:, None, None, None, :] + off / wh[None, None, :, None, :]

my_n_pixels = 8 * 4 * 4 * 4   # M heads x L levels x K points x 4 neighbours
