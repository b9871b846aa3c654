"""The structure of the package and of the notebooks: layered imports, light model imports, no text about how it was written.

- `qdetlit` modules only import downward through `LAYERS` (and never in a cycle);
- building every zoo model does not import pycocotools (evaluation is for evaluating, not for building a model);
- nothing under nbs/ points at documents outside the repository or talks about the circumstances of writing.
"""
import ast, os, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT/'qdetlit'
NBS = ROOT/'nbs'

# The layers of the design, lowest first. A module may import modules of its own layer or of lower layers.
# Inside a layer any import is allowed as long as there is no cycle (the model layer relies on this: Co-DETR
# builds on Deformable DETR and the dense heads, SALT on GFL, ...).
LAYERS = [
    ['box_ops'],
    ['contract'],
    ['matching', 'assigners', 'cross_stage_assigner', 'losses', 'gfl_losses', 'postprocess', 'position_encoding', 'toy'],
    ['data', 'transforms', 'datasets', 'evaluation', 'visualize'],
    ['backbone', 'deformable_attention', 'adamixer_ops'],
    ['detr', 'conditional_detr', 'dab_detr', 'dino', 'deformable_detr', 'task_aware_queries', 'sd_detr', 'sd_dab_detr', 'adamixer', 'stage_interactor', 'deq',
     'dense', 'gfl', 'dense_heads', 'rcnn', 'salt', 'co_detr'],  # the models
    ['learner'],
    ['zoo', 'pretrained', 'official', 'studies'],
    ['cli'],
]
LEAVES = {'testing', 'exercises'}  # may import anything; no qdetlit module may import them
NOT_MODULES = {'__init__', '_modidx'}  # the package marker and nbdev's index

LAYER_OF = {m: i for i, layer in enumerate(LAYERS) for m in layer}

def modules():
    return sorted(p.stem for p in PKG.glob('*.py') if p.stem not in NOT_MODULES)

def qdetlit_imports(name):
    "The qdetlit modules that module `name` imports (anywhere in the file, lazy imports included), with line numbers."
    tree = ast.parse((PKG/f'{name}.py').read_text(encoding='utf-8'))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or node.module == 'qdetlit' or (node.module or '').startswith('qdetlit.'):
                mod = node.module or ''
                mod = mod[len('qdetlit'):].lstrip('.') if node.level == 0 else mod
                if mod: out.append((mod.split('.')[0], node.lineno))
                else: out += [(a.name, node.lineno) for a in node.names]  # `from . import x` / `from qdetlit import x`
        elif isinstance(node, ast.Import):
            out += [(a.name.split('.')[1], node.lineno) for a in node.names if a.name.startswith('qdetlit.')]
    return [(m, line) for m, line in out if (PKG/f'{m}.py').exists()]

def import_graph():
    return {m: qdetlit_imports(m) for m in modules()}

def test_every_module_has_a_layer():
    unknown = [m for m in modules() if m not in LAYER_OF and m not in LEAVES]
    assert not unknown, (f"qdetlit modules without a layer: {', '.join(unknown)}. Add each to the layer list `LAYERS` "
                         f"in tests/test_structure.py (or to `LEAVES`), at the lowest layer above everything it imports.")

def test_imports_go_down_the_layers():
    problems = []
    for m, imports in import_graph().items():
        for dep, line in imports:
            if dep in LEAVES:
                problems.append(f"qdetlit/{m}.py:{line} imports qdetlit.{dep}, a leaf that nothing in qdetlit may import")
            elif m in LAYER_OF and dep in LAYER_OF and LAYER_OF[dep] > LAYER_OF[m]:
                problems.append(f"qdetlit/{m}.py:{line} (layer {LAYER_OF[m]}: {', '.join(LAYERS[LAYER_OF[m]])}) imports "
                                f"qdetlit.{dep} from the higher layer {LAYER_OF[dep]}")
    assert not problems, 'imports against the layering (see LAYERS in tests/test_structure.py):\n' + '\n'.join(problems)

def find_cycle(graph):
    "One import cycle of `graph` (module -> [(module, line)]) as a list of modules, or None."
    state, stack = {}, []
    def visit(m):
        state[m] = 'open'; stack.append(m)
        for dep, _ in graph.get(m, []):
            if state.get(dep) == 'open': return stack[stack.index(dep):] + [dep]
            if dep not in state and (c := visit(dep)): return c
        state[m] = 'done'; stack.pop()
    for m in graph:
        if m not in state and (c := visit(m)): return c

def test_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, 'import cycle: ' + ' -> '.join(f'qdetlit.{m}' for m in cycle)

def test_structure_checks_can_fail():
    "The checks above catch what they are meant to catch."
    assert find_cycle({'a': [('b', 1)], 'b': [('c', 2)], 'c': [('a', 3)]}) == ['a', 'b', 'c', 'a']
    assert find_cycle({'a': [('b', 1)], 'b': [], 'c': [('a', 3), ('b', 4)]}) is None
    assert {'box_ops'} <= {m for m, _ in qdetlit_imports('matching')}  # the parser sees `from .box_ops import ...`
    assert LAYER_OF['box_ops'] < LAYER_OF['matching'] < LAYER_OF['data'] < LAYER_OF['backbone'] < LAYER_OF['detr'] \
        < LAYER_OF['learner'] < LAYER_OF['zoo'] < LAYER_OF['cli']

BUILD_ALL = """
import contextlib, sys, torch
torch.set_num_threads(1)
from qdetlit import zoo
for name in zoo.list_models():
    try:  # parameters on the meta device: nothing is allocated or initialised, only the code paths run
        with torch.device('meta'): zoo.build_model(name, 3)
    except Exception: zoo.build_model(name, 3)
print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'pycocotools')))
"""

def test_building_models_does_not_import_pycocotools():
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(ROOT), os.environ.get('PYTHONPATH', '')]), 'OMP_NUM_THREADS': '1'}
    r = subprocess.run([sys.executable, '-c', BUILD_ALL], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    loaded = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ''
    assert not loaded, (f"building the zoo's models imported {loaded}: a model module imports (directly or not) one that "
                        "imports pycocotools at module level. Models need only the post-processing; keep pycocotools to "
                        "evaluation and import it there, or lazily.")

# Sentences about documents outside the repository or about how, where and under what conditions the notebooks were
# written. Case-insensitive regular expressions; each is specific enough not to match code or ordinary prose.
FORBIDDEN = [
    r'\bspecs? §', r'\bspecs? `', r'\bspecs?/', r'\[RECON\]', r'\bthe specs?\b', r"\bspec's\b",
    r'\b(?:was|were) not readable\b', r'\b(?:was|were) not run\b', r'\bin this session\b',
    r'\b(?:had|have) no gpus?\b', r'\bgpus? (?:was|were)\b', r'\bmachine load\b', r'\bload average\b', r'\bshared machine\b',
    r'\bmachine (?:is|was) shared\b', r'\bat (?:the time of )?writing\b', r'\bhelpers ran\b',
]
FORBIDDEN_RE = re.compile('|'.join(f'(?:{p})' for p in FORBIDDEN), re.IGNORECASE)

def forbidden_hits(text):
    "(line number, matched text, line) of every forbidden phrase in `text`."
    return [(i, m.group(0), line.strip()) for i, line in enumerate(text.splitlines(), 1) for m in FORBIDDEN_RE.finditer(line)]

def test_forbidden_patterns_match_what_they_should():
    for bad in ['as the spec says', 'spec §4.1', '(spec `x.md` §2)', 'see specs/a.md', '[RECON] a guess', "the spec's table",
                'the method sections were not readable', 'BCCD was not run (time)', 'not run in this session', 'No GPU was available', 'we had no GPU',
                'load average ~20', 'the machine was shared', 'on a shared machine', 'at writing time', 'Machine load was high']:
        assert forbidden_hits(bad), bad
    for ok in ['spectral norm', 'importlib.util.spec_from_file_location(name, path)', 'inspect the specification of COCO',
               'the loss is not run on padding', 'cuda = torch.cuda.is_available()  # GPU if there is one', 'read the JSON file',
               'the GPU memory was measured with torch.cuda.max_memory_allocated',
               'on a laptop with no GPU, training runs on the CPU']:
        assert not forbidden_hits(ok), ok

def test_notebooks_speak_only_of_the_project():
    hits = [f"{p.relative_to(ROOT)}:{i}: {found!r} in: {line[:160]}"
            for p in sorted(NBS.rglob('*')) if p.is_file() and p.suffix in {'.ipynb', '.md', '.qmd', '.yml', '.py', '.txt'}
            for i, found, line in forbidden_hits(p.read_text(encoding='utf-8', errors='replace'))]
    assert not hits, ("text about documents outside the repository or about the circumstances of writing (cite the paper or "
                      "the official code instead; say what the reader can run):\n" + '\n'.join(hits))
