#!/usr/bin/env python
"""The variants of the SALT-Net study (`python bench/study.py run salt --seeds 0 1 2 --jobs 2`): GFLv2-tiny vs + SALT
(coarse GIoU to the ground truth, the released code) vs + SALT + SDR (our reconstruction: `sdr='add'`, GIoU of the coarse
box to the detached refined box, warmed up over `SDR_WARMUP` steps); `sdr='replace'` is the other SDR form (not in the
study). GFL-tiny joins the study from bench/study.py.
"""
from dataclasses import replace
from qdetlit.gfl import GFLV2_TINY, build_gfl
from qdetlit.salt import SALT_TINY, build_salt

SDR_WARMUP = 250   # training steps (about a third of the ablation budget's 750) before SDR has its full weight
VARIANTS = [('gflv2-tiny', lambda K: build_gfl(replace(GFLV2_TINY, num_classes=K))),
            ('salt-tiny', lambda K: build_salt(replace(SALT_TINY, num_classes=K))),
            ('salt-sdr-tiny', lambda K: build_salt(replace(SALT_TINY, num_classes=K, sdr='add', sdr_warmup=SDR_WARMUP))),
            ('salt-sdr-replace-tiny', lambda K: build_salt(replace(SALT_TINY, num_classes=K, sdr='replace', sdr_warmup=SDR_WARMUP)))]
STUDY = ('gflv2-tiny', 'salt-tiny', 'salt-sdr-tiny')   # bench/study.py's salt study (+ gfl-tiny)
