"Solutions of the exercises of lesson 13 (capstone: StageInteractor's cross-stage assigner on Deformable DETR)."
import math
from scipy import stats
from qdetlit.cross_stage_assigner import CrossStageCriterion

def my_cross_stage_criterion(crit):
    "A focal SetCriterion -> CrossStageCriterion with its matcher, weights, loss terms and focal parameters; refuses softmax and two-stage criteria."
    if not crit.focal: raise ValueError("the cross-stage assigner needs a sigmoid (focal) criterion; this one has focal=False")
    enc = [k for k in crit.weight_dict if k.endswith('_enc')]
    if enc: raise ValueError(f"two-stage encoder losses {enc} are not computed by CrossStageCriterion; build with two_stage=False")
    return CrossStageCriterion(crit.num_classes, crit.matcher, crit.weight_dict, cross_stage=True, iou_thresh=0.5, multi_hot_norm=True,
                               losses=crit.losses, focal_alpha=crit.focal_alpha, focal_gamma=crit.focal_gamma)

def my_paired_diff(base, var):
    "(n, mean, low, high) of var - base over the common seeds; a t-based 95% interval, NaN under 2 seeds."
    d = [var[s] - base[s] for s in sorted(set(base) & set(var))]
    n = len(d)
    if n == 0: return 0, math.nan, math.nan, math.nan
    m = sum(d) / n
    if n == 1: return 1, m, math.nan, math.nan
    sd = math.sqrt(sum((x - m) ** 2 for x in d) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return n, m, m - half, m + half

def my_verdict(low, high, paper_sign):
    "'inconclusive' if the interval is missing or contains 0; else whether its sign is the paper's."
    if math.isnan(low) or low <= 0 <= high: return 'inconclusive'
    return 'same direction as the paper' if (low > 0) == (paper_sign > 0) else 'opposite'
