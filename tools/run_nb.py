#!/usr/bin/env python
"""Execute notebooks in place and store their outputs (figures, tables), as a reader would see them.

    python tools/run_nb.py nbs/api/00_box_ops.ipynb [...]        # every cell except `#| slow`, `#| cuda`, `#| notest`
    python tools/run_nb.py NB --only c0155cc1 4e28bd13           # run every cell, store the outputs of these cell ids only
    python tools/run_nb.py NB --slow                             # also run (and store) `#| slow` cells

Cells that are skipped keep the outputs they had. Runs in the notebook's folder with this checkout's `qdetlit` first
on `sys.path`, exactly as `nbdev_test` does; stops at the first error and leaves the file unchanged then. Afterwards
run `nbdev_clean` (the file is written in nbdev's clean format already, but metadata may need it).
"""
import argparse, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def run(path, only=None, slow=False):
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    from nbdev.process import NBProcessor
    from nbdev.frontmatter import FrontmatterProc
    path = Path(path).resolve()
    nb = NBProcessor(path, procs=FrontmatterProc, process=True).nb   # parses the `#|` directives
    skip = {'cuda', 'notest'} | (set() if slow else {'slow'})
    def _no_eval(cell):
        if cell.cell_type != 'code' or 'nbdev_export(' in cell.source: return True
        return bool(skip & set((getattr(cell, 'directives_', {}) or {}).keys()))
    raw = read_nb(path)
    os.environ['IN_TEST'] = '1'
    sh = CaptureShell(path); t0 = time.time()
    with working_directory(path.parent):
        sh.run_all(nb, exc_stop=True, preproc=_no_eval)
    by_id = {c.get('id'): c for c in nb.cells}
    for c in raw.cells:
        if c.cell_type != 'code' or (only and c.get('id') not in only): continue
        done = by_id.get(c.get('id'))
        if done is None or _no_eval(done): continue
        c.outputs, c.execution_count = done.outputs, None
    write_nb(raw, path)
    print(f"{path.relative_to(ROOT)}: executed in {time.time() - t0:.1f} s")

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='+'); ap.add_argument('--only', nargs='*', help='cell ids whose outputs to store')
    ap.add_argument('--slow', action='store_true', help='also run `#| slow` cells')
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    for n in a.notebooks: run(n, set(a.only) if a.only else None, a.slow)

if __name__ == '__main__': main()
