"""The command line's reliability suite: every bad input and fault of issue 19, run as a user runs it.

Each case runs `python -m qdetlit.cli` in a subprocess on a tiny generated COCO dataset (a few 96x80 images with two
categories whose names hold a `$`, written to a temporary folder) and asserts the exit status, the one-line message,
and that nothing the user had was changed (every file under the data and run folders is hashed before and after).
Training runs are 1 epoch of `adamixer-tiny` at 64 px on 4 images; one trained run is shared by the module.
"""
import contextlib, hashlib, json, os, pty, resource, select, shutil, signal, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get('PYTHONPATH', '')]))
CLI = [sys.executable, '-m', 'qdetlit.cli']
TINY = ['--model', 'adamixer-tiny', '--img-size', '64', '--batch-size', '2', '--epochs', '1', '--samples', '2', '--device', 'cpu']
CATS = [dict(id=1, name='a $x'), dict(id=2, name='$b')]  # '$' in class names: never mathtext


def qd(*args, timeout=300, **kw)->subprocess.CompletedProcess:
    "Run `qdetlit ARGS` (as `python -m qdetlit.cli`)."
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, env=ENV, timeout=timeout, **kw)


def snapshot(*paths)->dict:
    "sha1 of every file under `paths` (folders recursively), keyed by path: what the user has."
    out = {}
    for p in map(Path, paths):
        for f in ([p] if p.is_file() else sorted(p.rglob('*')) if p.exists() else []):
            if f.is_file(): out[str(f)] = hashlib.sha1(f.read_bytes()).hexdigest()
    return out


def one_line(p, cmd:str, *needles, code:int=2)->str:
    "Assert exit status `code` and exactly one stderr line `qdetlit CMD: error: ...` containing `needles`."
    assert p.returncode == code, (p.returncode, p.stderr[-3000:])
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr[-3000:]
    assert lines[0].startswith(f'qdetlit {cmd}: error: ') and 'Traceback' not in p.stderr, lines[0]
    for n in needles: assert n in lines[0], (n, lines[0])
    return lines[0]


def write_split(root:Path, split:str, n:int, cats=CATS, boxes=True, ext='png', seed=0)->Path:
    "A tiny COCO split: `n` images of coloured rectangles in root/images, annotations in root/ann_SPLIT.json."
    rng = np.random.default_rng([seed, len(split)])
    (root / 'images').mkdir(parents=True, exist_ok=True)
    images, anns = [], []
    for i in range(n):
        im = Image.new('RGB', (96, 80), tuple(int(v) for v in rng.integers(0, 120, 3))); d = ImageDraw.Draw(im)
        name = f'{split}_{i}.{ext}'
        for k in range(2):
            x, y = int(rng.integers(0, 50)), int(rng.integers(0, 40)); w, h = int(rng.integers(12, 40)), int(rng.integers(12, 36))
            d.rectangle([x, y, x + w - 1, y + h - 1], fill=(230, 60, 60) if k == 0 else (60, 90, 230))
            if boxes: anns.append(dict(id=len(anns) + 1, image_id=i + 1, category_id=cats[k % len(cats)]['id'] if cats else 1,
                                       bbox=[x, y, w, h], area=w * h, iscrowd=0))
        im.save(root / 'images' / name)
        images.append(dict(id=i + 1, file_name=name, width=96, height=80))
    ann = root / f'ann_{split}.json'
    ann.write_text(json.dumps(dict(images=images, annotations=anns, categories=cats)))
    return ann


def spec(root:Path)->str: return f'coco:{root}/ann_{{split}}.json:{root}/images'


@pytest.fixture(scope='module')
def data(tmp_path_factory)->Path:
    root = tmp_path_factory.mktemp('data')
    write_split(root, 'train', 4); write_split(root, 'val', 2)
    return root


@pytest.fixture(scope='module')
def run(data, tmp_path_factory)->Path:
    "One finished training run, shared by the tests that only read it."
    out = tmp_path_factory.mktemp('runs') / 'run'
    p = qd('train', '--data', spec(data), '--out', out, *TINY)
    assert p.returncode == 0, p.stderr[-3000:]
    return out


@contextlib.contextmanager
def read_only(d:Path):
    "Make folder `d` unwritable (chmod, or `chattr +i` for root, whom permissions do not stop)."
    if os.geteuid() != 0: d.chmod(0o555); undo = lambda: d.chmod(0o755)
    else:
        if shutil.which('chattr') is None or subprocess.run(['chattr', '+i', str(d)]).returncode: pytest.skip('cannot make a folder read-only as root')
        undo = lambda: subprocess.run(['chattr', '-i', str(d)])
    try: yield d
    finally: undo()


# ---------------------------------------------------------------- first contact: fast, no torch
def test_parser_imports_no_torch():
    code = ("import sys\nfrom qdetlit import cli\ncli.build_parser()\n"
            "try: cli.main(['train', '--help'])\nexcept SystemExit: pass\nprint('torch' in sys.modules)")
    p = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=ENV)
    assert p.returncode == 0 and p.stdout.strip().endswith('False'), p.stdout + p.stderr
    assert '{split}' in p.stdout and 'coco:ANN.json:IMAGE_DIR' in p.stdout  # the spec syntax is in --help


def test_names_without_torch_match_the_library():
    from qdetlit import cli, zoo, datasets
    assert list(cli.MODEL_NAMES) == zoo.list_models() and cli.DEFAULT_MODEL == zoo.DEFAULT_MODEL
    assert cli.DATASET_NAMES == datasets.DATASET_NAMES


# ---------------------------------------------------------------- numbers and choices, checked at parse time
PARSE_CASES = [
    (['train', '--train-images', '-5'], 'argument --train-images: must be >= 1, got -5'),
    (['train', '--train-images', '0'], 'argument --train-images: must be >= 1, got 0'),
    (['train', '--val-images', '0'], 'must be >= 1, got 0'),
    (['train', '--img-size', '0'], 'argument --img-size: must be in 32..4096, got 0'),
    (['train', '--epochs', '0'], 'argument --epochs: must be >= 1, got 0'),
    (['train', '--batch-size', '0'], 'must be >= 1, got 0'),
    (['train', '--lr', '-1'], 'argument --lr: must be > 0'),
    (['train', '--workers', '-1'], 'argument --workers: must be >= 0, got -1'),
    (['train', '--device', 'gpu0'], "argument --device: expected cpu, cuda or cuda:N, got 'gpu0'"),
    (['train', '--model', 'yolo-tiny'], "argument --model: invalid choice: 'yolo-tiny'"),
    (['train', '--data', 'voc'], 'expected shapes, bccd or coco:ANN.json:IMAGE_DIR'),
    (['eval', '--ckpt', 'x.pth', '--images', '-3'], 'argument --images: must be >= 1, got -3'),
    (['predict', '--ckpt', 'x.pth', '--out', 'o', 'a.png', '--score-thresh', '2'], 'argument --score-thresh: must be >= 0 and <= 1'),
]

@pytest.mark.parametrize('argv,msg', PARSE_CASES, ids=[' '.join(a[:3]) for a, _ in PARSE_CASES])
def test_bad_numbers_and_choices(argv, msg, tmp_path):
    before = snapshot(tmp_path)
    p = qd(*argv, cwd=tmp_path)
    one_line(p, argv[0], msg)
    assert snapshot(tmp_path) == before and not any(tmp_path.iterdir())


# ---------------------------------------------------------------- the run folder
def test_out_is_a_file(tmp_path):
    f = tmp_path / 'notes.txt'; f.write_text('mine')
    before = snapshot(tmp_path)
    one_line(qd('train', '--out', f, *TINY), 'train', f'--out {f} is a file, not a folder')
    assert snapshot(tmp_path) == before


def test_out_not_writable(tmp_path):
    ro = tmp_path / 'ro'; ro.mkdir()
    with read_only(ro): p = qd('train', '--out', ro / 'run', *TINY)
    one_line(p, 'train', f'--out {ro / "run"}: cannot write there', 'choose a folder you can write to')
    assert not any(ro.iterdir())


def test_existing_run_is_never_overwritten(run):
    before = snapshot(run)
    one_line(qd('train', '--out', run, *TINY), 'train', 'already holds a run', f'--resume {run}', '--overwrite')
    assert snapshot(run) == before


def test_resume_refuses_other_settings(run):
    before = snapshot(run)
    one_line(qd('train', '--resume', run / 'last.pth', '--epochs', '12'), 'train', "--epochs 12 differs from the run's 1")
    one_line(qd('train', '--resume', run, '--train-images', '1000'), 'train', "--train-images 1000 differs from the run's None")
    assert snapshot(run) == before


def test_resume_of_a_finished_run_changes_nothing(run):
    before = snapshot(run)
    p = qd('train', '--resume', run, '--device', 'cpu')
    assert p.returncode == 0, p.stderr[-2000:]
    assert f'resuming {run} from epoch 1 of 1' in p.stdout and 'nothing to train' in p.stdout
    assert snapshot(run) == before


def test_overwrite_replaces_a_run(run, tmp_path):
    out = tmp_path / 'copy'; shutil.copytree(run, out); (out / 'mine.txt').write_text('keep')
    p = qd('train', '--data', json.loads((run / 'config.json').read_text())['settings']['data'], '--out', out, '--overwrite', *TINY, '--seed', '1')
    assert p.returncode == 0, p.stderr[-2000:]
    assert json.loads((out / 'config.json').read_text())['settings']['seed'] == 1 and (out / 'mine.txt').read_text() == 'keep'
    assert len(json.loads((out / 'history.json').read_text())['epochs']) == 1


# ---------------------------------------------------------------- data that would silently mislead
def test_spec_without_split_is_refused(data, tmp_path):
    before = snapshot(data)
    one_line(qd('train', '--data', f'coco:{data}/ann_train.json:{data}/images', '--out', tmp_path / 'r', *TINY), 'train', 'has no {split}', '--val-data')
    assert snapshot(data) == before and not (tmp_path / 'r').exists()


def write_bad(tmp_path, **val_kw):
    root = tmp_path / 'd'; write_split(root, 'train', 4); write_split(root, 'val', 2, **val_kw)
    return root

@pytest.mark.parametrize('cats', [[dict(id=1, name='$b'), dict(id=2, name='a $x')], [dict(id=1, name='a $x')]], ids=['swapped', 'fewer'])
def test_val_categories_must_match(cats, tmp_path):
    root = write_bad(tmp_path, cats=cats)
    before = snapshot(root)
    one_line(qd('train', '--data', spec(root), '--out', tmp_path / 'r', *TINY), 'train', 'the validation categories', 'differ from the training ones')
    assert snapshot(root) == before and not (tmp_path / 'r').exists()


def edit_json(path, f):
    d = json.loads(path.read_text()); f(d); path.write_text(json.dumps(d))

@pytest.mark.parametrize('case,edit,msg', [
    ('duplicate category name', lambda d: d['categories'][1].update(name='a $x'), "duplicate category name 'a $x': categories[0] (id 1) and categories[1] (id 2)"),
    ('duplicate file', lambda d: d['images'][1].update(file_name='train_0.png'), "duplicate image file 'train_0.png': images[0] (id 1, train_0.png) and images[1] (id 2, train_0.png)"),
    ('empty categories', lambda d: d.update(categories=[], annotations=[]), "'categories' is empty"),
    ('no box', lambda d: d.update(annotations=[]), 'the training split has no box in its 4 images'),
], ids=lambda v: v if isinstance(v, str) else '')
def test_bad_training_data(case, edit, msg, tmp_path):
    root = write_bad(tmp_path)
    edit_json(root / 'ann_train.json', edit)
    before = snapshot(root)
    one_line(qd('train', '--data', spec(root), '--out', tmp_path / 'r', *TINY), 'train', msg)
    assert snapshot(root) == before and not (tmp_path / 'r').exists()


# ---------------------------------------------------------------- the environment
def test_missing_gpu(tmp_path):
    import torch
    if torch.cuda.is_available(): pytest.skip('this machine has a GPU')
    one_line(qd('train', *TINY[:-2], '--device', 'cuda', '--out', tmp_path / 'r'), 'train', '--device cuda: PyTorch sees no CUDA GPU', '--device cpu')
    assert not (tmp_path / 'r').exists()


def _small_files():  # in the child: files may not grow beyond 64 KB (a full disk), and the kernel's SIGXFSZ is ignored
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN); resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

def test_disk_full(data, tmp_path):
    before = snapshot(data)
    p = qd('train', '--data', spec(data), '--out', tmp_path / 'r', *TINY, preexec_fn=_small_files)
    line = one_line(p, 'train')
    assert 'no room to write' in line or 'writing a checkpoint failed' in line, line
    assert snapshot(data) == before
    assert not list((tmp_path / 'r').glob('*.pth')) and not list((tmp_path / 'r').glob('.*tmp'))  # no partial checkpoint


def test_truncated_image_in_a_worker(tmp_path):
    root = tmp_path / 'd'; write_split(root, 'train', 4, ext='jpg'); write_split(root, 'val', 2)
    jpg = root / 'images' / 'train_2.jpg'; jpg.write_bytes(jpg.read_bytes()[:len(jpg.read_bytes()) // 2])
    before = snapshot(root)
    line = one_line(qd('train', '--data', spec(root), '--out', tmp_path / 'r', *TINY, '--workers', '2'), 'train', 'train_2.jpg')
    assert len(line) < 400, line
    assert snapshot(root) == before


def test_eval_next_to_a_read_only_checkpoint(run, tmp_path):
    ro = tmp_path / 'ro'; ro.mkdir(); shutil.copy(run / 'last.pth', ro / 'last.pth')
    with read_only(ro): p = qd('eval', '--ckpt', ro / 'last.pth', '--device', 'cpu')
    one_line(p, 'eval', 'cannot write there', '--out')
    assert sorted(f.name for f in ro.iterdir()) == ['last.pth']


def test_eval_on_other_classes(run):
    before = snapshot(run)
    one_line(qd('eval', '--ckpt', run / 'last.pth', '--data', 'shapes', '--images', '2', '--out', run.parent / 'e.json', '--device', 'cpu'),
             'eval', "has classes", "the checkpoint ['a $x', '$b']")
    assert snapshot(run) == before


def sigint_default():
    "In the child: Ctrl-C's default action, which a job started in the background by a non-interactive shell inherits as ignored."
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_then_resume(data, tmp_path):
    out = tmp_path / 'r'
    args = ['train', '--data', spec(data), '--out', out, *TINY[:-6], '--epochs', '6', '--eval-every', '6', '--samples', '1', '--device', 'cpu']
    def epochs_done():   # history.json is written after last.pth: an epoch listed there has its checkpoint
        try: return len(json.loads((out / 'history.json').read_text())['epochs'])
        except (OSError, ValueError): return 0
    child = subprocess.Popen(CLI + [str(a) for a in args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                             preexec_fn=sigint_default)
    t0 = time.time()
    while epochs_done() < 1 and child.poll() is None and time.time() - t0 < 600: time.sleep(0.02)
    state = f"after {time.time() - t0:.0f} s: exit status {child.poll()}, {epochs_done()} epoch(s) in history.json"
    child.send_signal(signal.SIGINT)
    out_, err = child.communicate(timeout=300)
    p = subprocess.CompletedProcess(args, child.returncode, out_, err)
    assert p.stderr.strip(), f"no message on stderr ({state}; then exit status {p.returncode}); stdout: {p.stdout[-1500:]}"
    line = p.stderr.strip().splitlines()[-1]
    assert p.returncode == 130 and len(p.stderr.strip().splitlines()) == 1, p.stderr[-2000:]
    assert line.startswith('qdetlit train: interrupted; the last checkpoint is') and f'continue with: qdetlit train --resume {out}' in line
    done = json.loads((out / 'history.json').read_text())['epochs']
    assert f'(epoch {len(done)} of 6)' in line, line
    # resume in a terminal: the progress bar counts the run's epochs
    master, slave = pty.openpty()
    child = subprocess.Popen(CLI + ['train', '--resume', str(out), '--device', 'cpu'], stdout=slave, stderr=subprocess.PIPE, env=ENV)
    os.close(slave); chunks = []
    while True:
        try: chunk = os.read(master, 65536)
        except OSError: break
        if not chunk: break
        chunks.append(chunk)
    child.wait(timeout=300); os.close(master)
    shown = b''.join(chunks).decode(errors='replace')
    assert child.returncode == 0, child.stderr.read().decode()[-2000:]
    assert f'resuming {out} from epoch {len(done)} of 6' in shown
    assert f'Epoch {len(done) + 1}/6' in shown and 'Epoch 1/1' not in shown, shown[-2000:]
    assert len(json.loads((out / 'history.json').read_text())['epochs']) == 6 and (out / 'metrics.json').is_file()


# ---------------------------------------------------------------- a finished run and predict
def test_finished_run(run):
    assert sorted(f.name for f in run.iterdir()) == ['best.pth', 'config.json', 'curves.png', 'history.csv', 'history.json', 'last.pth',
                                                     'metrics.json', 'samples', 'steps.csv']
    assert len(list((run / 'samples').glob('val_*.png'))) == 2  # drawn although the class names hold '$'


def test_predict_any_names_one_output_each(run, tmp_path):
    src = tmp_path / 'in'; (src / 'a').mkdir(parents=True); (src / 'b').mkdir()
    im = Image.new('RGB', (90, 70), (200, 40, 40))
    files = [src / 'a' / 'cell.png', src / 'b' / 'cell.png', src / 'b' / 'cell.jpg', src / '$x$ y.png', src / os.fsdecode(b'caf\xe9.png')]
    for f in files: im.save(f)
    broken = src / 'broken.jpg'; im.save(broken); broken.write_bytes(broken.read_bytes()[:200])
    before = snapshot(src)
    out = tmp_path / 'out'
    p = qd('predict', '--ckpt', run / 'best.pth', *files[:3], broken, *files[3:], '--out', out, '--score-thresh', '0', '--device', 'cpu')
    assert p.returncode == 2, p.stderr[-2000:]
    err = p.stderr.strip().splitlines()
    assert len(err) == 2 and err[0].startswith(f'qdetlit predict: skipped {broken}') and 'Traceback' not in p.stderr, p.stderr
    assert err[1] == 'qdetlit predict: error: 1 of 6 images could not be read (listed above); detections.json holds the other 5'
    res = json.loads((out / 'detections.json').read_text())
    assert [r['output'] for r in res] == ['a/cell.png', 'b/cell.png', 'b/cell-2.png', '$x$ y.png', 'caf\ufffd.png']
    assert all((out / os.fsdecode(os.fsencode(str(f.relative_to(src).with_suffix('.png'))))).is_file() for f in files[:2] + files[3:])
    assert (out / 'b' / 'cell-2.png').is_file() and all(r['detections'] for r in res)
    assert snapshot(src) == before


# ---------------------------------------------------------------------------------------------------------------
# Published weights: `predict --weights` (qdetlit.pretrained) writes the detections transformers computes

def test_predict_with_transformers_weights_equals_transformers(tmp_path):
    transformers = pytest.importorskip('transformers')
    import torch
    from torchvision import tv_tensors
    from torchvision.transforms.v2 import functional as TF
    from qdetlit.data import load_image
    from qdetlit.datasets import bccd_root
    from qdetlit.transforms import make_transforms
    transformers.logging.set_verbosity_error()
    torch.manual_seed(0)
    cfg = transformers.DeformableDetrConfig(d_model=64, encoder_layers=1, decoder_layers=2, encoder_attention_heads=4,
                                            decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128, num_queries=12,
                                            num_labels=3, id2label={0: 'Platelets', 1: 'RBC', 2: 'WBC'}, with_box_refine=True)
    hf = transformers.DeformableDetrForObjectDetection(cfg).eval()
    with torch.no_grad():
        for k, t in hf.state_dict().items():   # perturb every tensor, so zero-initialised ones matter too
            if t.is_floating_point(): t.mul_(torch.exp(0.1 * torch.randn_like(t))) if k.endswith('running_var') else t.add_(0.02 * torch.randn_like(t))
    hf.save_pretrained(tmp_path / 'hf')
    images = sorted((bccd_root() / 'images').glob('*.jpg'))[:2]
    before = snapshot(tmp_path / 'hf')
    r = qd('predict', '--weights', str(tmp_path / 'hf'), *map(str, images), '--out', str(tmp_path / 'out'), '--score-thresh', '0')
    assert r.returncode == 0, r.stderr[-2000:]
    assert snapshot(tmp_path / 'hf') == before
    got = json.loads((tmp_path / 'out' / 'detections.json').read_text())
    assert [Path(g['file']).name for g in got] == [p.name for p in images]
    tfm = make_transforms(False, min_size=800, max_size=1333)
    for g, path in zip(got, images):
        im = load_image(path); x = tfm(tv_tensors.Image(TF.pil_to_tensor(im)))
        with torch.no_grad():
            out = hf(pixel_values=x[None], pixel_mask=torch.ones(1, *x.shape[1:], dtype=torch.long))
        want = transformers.DeformableDetrImageProcessor().post_process_object_detection(
            out, threshold=0., target_sizes=[(im.height, im.width)], top_k=100)[0]
        assert len(g['detections']) == len(want['scores']) > 0
        ours = [(d['label'], d['score'], d['box_xyxy']) for d in g['detections']]
        for s, l, b in zip(want['scores'].tolist(), want['labels'].tolist(), want['boxes'].tolist()):
            assert any(ol == l and abs(os_ - s) < 2e-4 and max(abs(u - v) for u, v in zip(ob, b)) < 0.02 for ol, os_, ob in ours), (l, s, b)
        assert {d['class_name'] for d in g['detections']} <= {'Platelets', 'RBC', 'WBC'}

def test_predict_weights_errors(tmp_path):
    img = tmp_path / 'a.png'; Image.new('RGB', (32, 32)).save(img)
    (tmp_path / 'w.pth').write_bytes(b'not a checkpoint')
    one_line(qd('predict', '--weights', str(tmp_path / 'w.pth'), str(img), '--out', str(tmp_path / 'o')), 'predict', '--model detr or --model deformable-detr')
    one_line(qd('predict', '--weights', str(tmp_path / 'nowhere'), str(img), '--out', str(tmp_path / 'o')), 'predict', 'nowhere')
    r = qd('predict', '--weights', 'x', '--ckpt', 'y', str(img), '--out', str(tmp_path / 'o'))
    assert r.returncode == 2 and 'not allowed with argument' in r.stderr


# ---------------------------------------------------------------------------------------------------------------
# Published weights in `eval --weights` (labels mapped by class name), `train --init` and `train --backbone-weights`

BCCD_NAMES = {0: 'Platelets', 1: 'RBC', 2: 'WBC'}

def small_detr(folder:Path, id2label=BCCD_NAMES, rbc_box=False)->Path:
    "A small random transformers DETR (ResNet-18 in transformers' layout, d=32, 1 query) written by save_pretrained."
    transformers = pytest.importorskip('transformers')
    import torch
    transformers.logging.set_verbosity_error()
    torch.manual_seed(0)
    rc = transformers.ResNetConfig(depths=[2, 2, 2, 2], layer_type='basic', hidden_sizes=[64, 128, 256, 512], out_features=['stage4'])
    cfg = transformers.DetrConfig(use_timm_backbone=False, backbone_config=rc, d_model=32, encoder_layers=1, decoder_layers=1,
                                  encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                                  num_queries=1, num_labels=len(id2label), id2label=id2label)
    hf = transformers.DetrForObjectDetection(cfg).eval()
    if rbc_box:  # every image: one 'RBC' detection (score ~1) covering the whole image, whatever the features
        with torch.no_grad():
            c, b = hf.class_labels_classifier, hf.bbox_predictor.layers[-1]
            c.weight.zero_(); c.bias.zero_(); c.bias[list(id2label.values()).index('RBC')] = 12.
            b.weight.zero_(); b.bias.copy_(torch.tensor([0., 0., 12., 12.]))
    hf.save_pretrained(folder)
    return folder

def full_box_data(root:Path, cats)->Path:
    "Train/val splits whose every image has one box covering it, of category 'RBC'."
    for split, n in (('train', 4), ('val', 3)):
        ann = write_split(root, split, n, cats=cats)
        rbc = next(c['id'] for c in cats if c['name'] == 'RBC')
        edit_json(ann, lambda d: d.update(annotations=[dict(id=i + 1, image_id=im['id'], category_id=rbc, bbox=[0, 0, 96, 80], area=96 * 80,
                                                               iscrowd=0) for i, im in enumerate(d['images'])]))
    return root

def test_eval_weights_maps_labels_by_name(tmp_path):
    w = small_detr(tmp_path / 'hf', rbc_box=True)
    # the data numbers its categories otherwise: 'RBC' is label 1 of the weights, category id 7 and label 1 of 2 here
    data = full_box_data(tmp_path / 'd', [dict(id=3, name='Platelets'), dict(id=7, name='RBC')])
    before = snapshot(w, data)
    p = qd('eval', '--weights', w, '--data', spec(data), '--out', tmp_path / 'e.json', '--device', 'cpu')
    assert p.returncode == 0, p.stderr[-2000:]
    m = json.loads((tmp_path / 'e.json').read_text())
    assert m['weights'] == str(w) and m['images'] == 3 and m['AP'] == pytest.approx(1.0) and m['per_class_AP']['RBC'] == pytest.approx(1.0), m
    assert "the data's 2 classes are labels [0, 1] of the weights' 3" in p.stdout
    assert snapshot(w, data) == before
    # the same category names with the ids swapped: still 'RBC'
    swapped = full_box_data(tmp_path / 's', [dict(id=1, name='RBC'), dict(id=2, name='WBC')])
    p = qd('eval', '--weights', w, '--data', spec(swapped), '--out', tmp_path / 's.json', '--device', 'cpu')
    assert p.returncode == 0 and json.loads((tmp_path / 's.json').read_text())['AP'] == pytest.approx(1.0), p.stderr[-2000:]

def test_eval_weights_errors(tmp_path, data):
    w = small_detr(tmp_path / 'hf')
    one_line(qd('eval', '--weights', w, '--data', spec(data), '--out', tmp_path / 'e.json', '--device', 'cpu'),
             'eval', f"--weights {w} have no class named 'a $x', '$b'", "'Platelets', 'RBC', 'WBC'")
    one_line(qd('eval', '--weights', w, '--data', spec(data)), 'eval', 'eval --weights needs --out FILE.json')
    one_line(qd('eval', '--weights', w, '--out', tmp_path / 'e.json'), 'eval', 'eval --weights needs --data')
    one_line(qd('eval', '--ckpt', 'x.pth', '--model', 'detr'), 'eval', '--model names the family of an official .pth')
    r = qd('eval', '--weights', w, '--ckpt', 'x.pth')
    assert r.returncode == 2 and 'not allowed with argument' in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / 'e.json').exists()

def test_train_init_from_weights(tmp_path, data):
    import torch
    from qdetlit.pretrained import from_transformers
    w = small_detr(tmp_path / 'hf')
    out = tmp_path / 'r'
    p = qd('train', '--init', w, '--data', spec(data), '--out', out, *TINY[2:])
    assert p.returncode == 0, p.stderr[-3000:]
    assert f'qdetlit train: --init {w}: classification head re-initialised: the weights have 3 classes, the data 2' in p.stdout, p.stdout
    conf = json.loads((out / 'config.json').read_text())
    assert conf['settings']['init'] == str(w) and conf['settings']['model'] == 'detr-r50'
    assert (conf['model_config']['family'], conf['model_config']['hidden_dim'], conf['model_config']['num_classes']) == ('detr', 32, 2)
    ck = torch.load(out / 'last.pth', weights_only=False)['model']
    ref = from_transformers(w).model.state_dict()
    assert torch.equal(ck['input.backbone.body.conv1.weight'], ref['input.backbone.body.conv1.weight'])  # the frozen stem: as loaded
    assert ck['class_embed.weight'].shape == (3, 32) and ref['class_embed.weight'].shape == (4, 32)
    before = snapshot(out)
    p = qd('train', '--resume', out, '--device', 'cpu')   # resuming needs neither the weights nor their classes again
    assert p.returncode == 0 and 'nothing to train' in p.stdout, p.stderr[-2000:]
    assert snapshot(out) == before

def test_train_init_and_backbone_errors(tmp_path, data):
    w = small_detr(tmp_path / 'hf')
    d = ['--data', spec(data), '--device', 'cpu']
    cases = [(['--init', w, '--model', 'deformable-detr-r50', '--out', tmp_path / 'a'], f'--model deformable-detr-r50 disagrees with --init {w}, which holds detr weights'),
             (['--init', w, '--model', 'detr-tiny', '--out', tmp_path / 'b'], '--model must be one of detr-r50, conditional-detr-r50, dab-detr-r50, deformable-detr-r50'),
             (['--init', tmp_path / 'nothing', '--out', tmp_path / 'c'], 'nothing'),
             (['--backbone-weights', tmp_path / 'r50.pth', '--model', 'adamixer-tiny', '--out', tmp_path / 'e'], 'adamixer-tiny has the tiny CPU backbone'),
             (['--backbone-weights', tmp_path / 'r50.pth', '--model', 'detr-r50', '--out', tmp_path / 'f'],
              f'--backbone-weights {tmp_path / "r50.pth"}: file not found; download torchvision\'s ImageNet ResNet-50 (ResNet50_Weights.IMAGENET1K_V1) from https://download.pytorch.org/models/resnet50-0676ba61.pth')]
    (tmp_path / 'official.pth').write_bytes(b'x')
    cases.append((['--init', tmp_path / 'official.pth', '--out', tmp_path / 'g'], '--model detr-r50 or --model deformable-detr-r50'))
    for args, msg in cases: one_line(qd('train', *args, *d), 'train', msg)
    r = qd('train', '--init', w, '--backbone-weights', 'x.pth', *d)
    assert r.returncode == 2 and 'not allowed with argument' in r.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == ['hf', 'official.pth']  # no run folder left behind

def test_train_backbone_weights(tmp_path, data):
    import torch, torchvision
    torch.manual_seed(0)
    tv = torchvision.models.resnet50(weights=None)
    torch.save(tv.state_dict(), tmp_path / 'r50.pth')
    out = tmp_path / 'r'
    p = qd('train', '--model', 'detr-r50', '--backbone-weights', tmp_path / 'r50.pth', '--data', spec(data), '--out', out, *TINY[2:])
    assert p.returncode == 0, p.stderr[-3000:]
    assert f'ResNet-50 backbone from {tmp_path / "r50.pth"} (torchvision names): 265 tensors loaded, 55 dropped' in p.stdout, p.stdout
    assert json.loads((out / 'config.json').read_text())['settings']['backbone_weights'] == str(tmp_path / 'r50.pth')
    ck = torch.load(out / 'last.pth', weights_only=False)['model']
    for k in ('conv1.weight', 'layer1.0.conv1.weight', 'layer1.2.bn3.running_var'):  # frozen: as in the file
        assert torch.equal(ck[f'input.backbone.body.{k}'], tv.state_dict()[k]), k
