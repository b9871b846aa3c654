"""The course's exercises prove themselves in both directions: for every `#| exercise` cell of every lesson in
nbs/course/, the check of the same name (nbs/course/checks/lessonNN.py) passes with the solution
(nbs/course/solutions/lessonNN.py) and fails with the blank stub. The lessons themselves run in nbdev_test with the
stubs blank. No lesson is executed here: only its import cells and its exercise cells."""
import ast, importlib.util, json, re
from pathlib import Path
import pytest
from conftest import ROOT

COURSE = ROOT/'nbs'/'course'
LESSONS = sorted(p for p in COURSE.glob('[0-9]*.ipynb'))

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

def _module(path):
    spec = importlib.util.spec_from_file_location(f'_course_{path.parent.name}_{path.stem}', path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def _is_import_cell(src):
    try: body = ast.parse('\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('#', '%', '!'))))
    except SyntaxError: return False
    return bool(body.body) and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in body.body)

def _exercises(nb_path):
    "(namespace with the stubs defined, names of the stubs) of one lesson."
    cells = [c for c in json.loads(nb_path.read_text(encoding='utf-8'))['cells'] if c['cell_type'] == 'code']
    ns, names = {}, []
    import os, sys
    old, sys.path[:0] = os.getcwd(), [str(COURSE)]
    try:
        os.chdir(COURSE)
        for c in cells:
            if _is_import_cell(_src(c)): exec(_src(c), ns)
        for c in cells:
            s = _src(c)
            if re.match(r'\s*#\|\s*exercise\b', s):
                exec(s, ns)
                tree = ast.parse(s).body
                names += [n.name for n in tree if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
                names += [t.id for n in tree if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]
    finally:
        os.chdir(old); sys.path.remove(str(COURSE))
    return ns, names

def _lesson_id(nb_path): return 'lesson' + re.match(r'(\d+)', nb_path.stem).group(1)

CASES = [(nb, name) for nb in LESSONS for name in _exercises(nb)[1]]

@pytest.mark.parametrize('nb', LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_has_exercises_checks_and_solutions(nb):
    ns, names = _exercises(nb)
    assert len(names) >= 2, f"{nb.name}: {len(names)} `#| exercise` definitions; a lesson needs at least 2"
    lid = _lesson_id(nb)
    checks, sols = COURSE/'checks'/f'{lid}.py', COURSE/'solutions'/f'{lid}.py'
    assert checks.exists() and sols.exists(), f"{nb.name}: needs {checks.relative_to(ROOT)} and {sols.relative_to(ROOT)}"
    C, S = _module(checks), _module(sols)
    for n in names:
        assert n in C.CHECKS, f"{nb.name}: no check for exercise {n!r} in {checks.name} (CHECKS has {sorted(C.CHECKS)})"
        assert hasattr(S, n), f"{nb.name}: no solution {n!r} in {sols.name}"

@pytest.mark.parametrize('nb,name', CASES, ids=[f'{nb.stem}-{n}' for nb, n in CASES])
def test_solution_passes_and_stub_fails(nb, name):
    lid = _lesson_id(nb)
    C, S = _module(COURSE/'checks'/f'{lid}.py'), _module(COURSE/'solutions'/f'{lid}.py')
    ns, _ = _exercises(nb)
    check = C.CHECKS[name]
    assert check(getattr(S, name)), f"{nb.name}: the solution of {name!r} fails its own check"
    assert not check(ns[name]), f"{nb.name}: the blank stub of {name!r} passes its check (a check that cannot fail)"

def test_the_mechanism_catches_a_wrong_solution(tmp_path):
    "Negative control: a check built with qdetlit.exercises fails a wrong answer and passes a right one."
    from qdetlit.exercises import check
    from torchvision.ops import box_area
    import torch
    cases = [(torch.tensor([[0., 0, 2, 3]]),), (torch.tensor([[1., 1, 1, 5]]),)]
    assert check(lambda b: (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]), box_area, cases, show=False)
    assert not check(lambda b: (b[:, 2] - b[:, 0]) + (b[:, 3] - b[:, 1]), box_area, cases, show=False)
