"""The studies' budget and wiring (`ABLATION`, `ablation_learner`, used by bench/study.py and bench/detr_recipe.py), and a
small runner for the sanity checks bench/dense_heads.py and bench/rcnn.py (`train_eval`, `write_table`):

    from common import train_eval, write_table       # bench/ is on sys.path when the script lives there
    rows = [train_eval(lambda K: build_atss(replace(ATSS_TINY, num_classes=K)), 'atss-tiny')]
    write_table(rows, 'bench/results/dense_heads.md', 'ATSS alone on Shapes')

Defaults = the zoo's tiny recipe (`qdetlit.zoo._tiny_recipe`: AdamW, cosine, 20 warm-up steps, clip 1.0, batch 8,
images 96-144 px) on the first 500 training / 100 validation Shapes images for 12 epochs: a smaller budget than the
zoo's table (1000 images), so that a study's runs stay short on one core; a study may override fields (e.g. its epochs).
"""
import json, os, resource, sys, time
from pathlib import Path
import torch
from qdetlit.datasets import load_split
from qdetlit.zoo import TrainRecipe, make_learner

ABLATION = dict(data='shapes', epochs=12, train_images=500, val_images=100, batch_size=8, min_size=96, max_size=144,
                lr=1e-3, weight_decay=1e-4, schedule='cosine', warmup_steps=20, clip_max_norm=1.0)


def ablation_learner(build, # num_classes -> (model, criterion, postprocess); called right after seeding
                     out, # run directory (history, curves)
                     seed:int=0, threads:int=1, lr_mults:dict|None=None, **overrides, # fields of ABLATION (and wd_mults)
                    )->tuple: # (Learner, settings, recipe)
    "A `Learner` for one variant with the ablation budget (`ABLATION` with `overrides`): the one wiring of every ablation."
    wd_mults = overrides.pop('wd_mults', None)
    S = {**ABLATION, **overrides}
    bad = set(S) - set(ABLATION)
    if bad: raise ValueError(f"unknown ablation setting(s) {sorted(bad)}; valid: {sorted(ABLATION)} and wd_mults")
    torch.set_num_threads(threads)
    tr = load_split(S['data'], 'train', True, S['min_size'], S['max_size'], S['train_images'])
    va = load_split(S['data'], 'val', False, S['min_size'], S['max_size'], S['val_images'])
    recipe = TrainRecipe(**{k: S[k] for k in ('lr', 'weight_decay', 'epochs', 'schedule', 'warmup_steps', 'clip_max_norm', 'batch_size',
                                              'min_size', 'max_size')}, lr_mults=lr_mults or {}, wd_mults=wd_mults or {})
    L = make_learner(build, tr, va, recipe, seed=seed, eval_every=S['epochs'], out_dir=out, device='cpu', progress=False, plot=False)
    return L, S, recipe


def train_eval(build, # num_classes -> (model, criterion, postprocess); called right after seeding
               name:str, # the row's label
               out:str|None=None, # run directory (history, curves); default bench/results/ablations/<name>
               seed:int=0, threads:int=1, lr_mults:dict|None=None, **overrides, # fields of ABLATION
              )->dict:
    "Train one variant with the ablation budget and return its COCO stats, time per epoch and parameter count."
    L, S, _ = ablation_learner(build, Path(out or f"bench/results/ablations/{name}"), seed, threads, lr_mults, **overrides)
    model = L.model
    t0 = time.perf_counter(); hist = L.fit(); wall = time.perf_counter() - t0
    final = hist[-1]
    row = dict(name=name, seed=seed, **{k: final[k] for k in ('AP', 'AP50', 'AP75', 'APs', 'APm', 'APl') if k in final},
               epoch_s=sum(h['train_time'] for h in hist) / len(hist), wall_s=wall,
               params=sum(p.numel() for p in model.parameters()), load=os.getloadavg()[0], settings=S)
    print(json.dumps({k: v for k, v in row.items() if k != 'settings'}), flush=True)
    return row


def write_table(rows:list, path:str, title:str, paper:dict|None=None)->str:
    "Markdown table of `train_eval` rows (+ an optional 'paper' column: name -> number) written to `path` and `.json`."
    cols = ['AP', 'AP50', 'AP75', 'APs']
    head = "| variant | " + " | ".join(cols) + " | s / epoch | params |" + (" paper |" if paper else "")
    md = [f"**{title}**", "", head, "|" + "---|" * (len(cols) + 3 + bool(paper))]
    for r in rows:
        md.append(f"| {r['name']} | " + " | ".join(f"{r.get(c, float('nan')):.3f}" for c in cols) +
                  f" | {r['epoch_s']:.1f} | {r['params']/1e6:.2f}M |" + (f" {paper.get(r['name'], '')} |" if paper else ""))
    S = rows[0]['settings']
    md.append(f"\n{S['data']}: {S['train_images']} train / {S['val_images']} val images, {S['epochs']} epochs, batch {S['batch_size']}, "
              f"{S['min_size']}-{S['max_size']} px, seed {rows[0]['seed']}; {torch.get_num_threads()} thread(s), "
              f"1-minute load average at the end {os.getloadavg()[0]:.1f} (times are inflated when the machine is shared).")
    text = '\n'.join(md) + '\n'
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text); Path(path).with_suffix('.json').write_text(json.dumps(rows, indent=1, default=str))
    return text
