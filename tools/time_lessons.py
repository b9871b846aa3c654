#!/usr/bin/env python
"""Time every course lesson as `nbdev_test` runs it, and write the times the course index shows.

    python tools/time_lessons.py                 # every nbs/course/NN_*.ipynb, one at a time -> nbs/course/lesson_times.json
    python tools/time_lessons.py 03_detr --jobs 2

Each lesson runs in a fresh process with OMP_NUM_THREADS as set by the caller (default 1 here, the CI's setting); the
file records the seconds, the thread count, the machine's CPU count and load, torch's version and the date, so the
index can say where the numbers come from. Existing entries for other lessons are kept.
"""
import argparse, json, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT/'nbs'/'course'
OUT = COURSE/'lesson_times.json'

CHILD = """
import sys, time
from pathlib import Path
from nbdev.test import test_nb
ok, _ = test_nb(Path(sys.argv[1]), skip_flags=['slow', 'cuda', 'notest'], basepath='{root}', showerr=True)
sys.exit(0 if ok else 1)
"""

def time_one(nb:Path)->dict:
    env = {**os.environ, 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', '1')}
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, '-c', CHILD.format(root=ROOT), str(nb)], cwd=ROOT, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode: raise SystemExit(f"{nb.name} failed:\n{r.stderr[-3000:]}")
    import torch
    return dict(seconds=round(dt, 1), threads=int(env['OMP_NUM_THREADS']), cpus=os.cpu_count(), load=round(os.getloadavg()[0], 2),
                torch=torch.__version__.split('+')[0], date=time.strftime('%Y-%m-%d'))

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('lessons', nargs='*', help='lesson names (default: all)'); ap.add_argument('--jobs', type=int, default=1)
    a = ap.parse_args(argv)
    nbs = sorted(COURSE.glob('[0-9]*.ipynb'))
    if a.lessons: nbs = [n for n in nbs if n.stem in a.lessons or n.name in a.lessons]
    times = json.loads(OUT.read_text()) if OUT.exists() else {}
    with ThreadPoolExecutor(a.jobs) as ex:
        for nb, t in zip(nbs, ex.map(time_one, nbs)):
            times[nb.stem] = t; print(f"{nb.stem}: {t['seconds']} s", flush=True)
    OUT.write_text(json.dumps(dict(sorted(times.items())), indent=1) + '\n')

if __name__ == '__main__': main()
