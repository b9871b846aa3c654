"""bench/study.py, the experiment runner: one JSON per run with everything the results page and a rerun need, written
atomically, and a finished run is never redone."""
import json, os, subprocess, sys
from conftest import ROOT

def _run(*args, out):
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    return subprocess.run([sys.executable, str(ROOT/'bench'/'study.py'), *args, '--out', str(out), '--budget', 'smoke'],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)

def test_run_writes_one_file_per_run_and_resumes(tmp_path):
    r = _run('run', 'salt', '--variants', 'gflv2-tiny', '--seeds', '0', '1', '--jobs', '2', out=tmp_path)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    files = sorted((tmp_path/'salt'/'gflv2-tiny').glob('*.json'))
    assert [f.name for f in files] == ['seed0.json', 'seed1.json'], files
    run = json.loads(files[0].read_text())
    for k in ('study', 'variant', 'seed', 'config', 'git_commit', 'torch', 'device', 'wall_s', 'epoch_loss', 'coco', 'coco_thr0'):
        assert k in run, k
    assert (run['study'], run['variant'], run['seed']) == ('salt', 'gflv2-tiny', 0) and 'AP' in run['coco']
    assert run['config']['settings']['epochs'] == 1 and len(run['epoch_loss']) == 1
    assert run['coco_thr0'] is not None            # a dense post-processor has a score threshold: evaluated at 0 too
    stamp = [f.stat().st_mtime_ns for f in files]
    r = _run('run', 'salt', '--variants', 'gflv2-tiny', '--seeds', '0', '1', out=tmp_path)
    assert '0 run(s) to do, 2 already done' in r.stdout and [f.stat().st_mtime_ns for f in files] == stamp

def test_unknown_names_are_refused_in_one_line(tmp_path):
    r = _run('run', 'nope', out=tmp_path)
    assert r.returncode != 0 and "unknown study 'nope'" in r.stderr
    r = _run('run', 'deq', '--variants', 'deqdet-huge', out=tmp_path)
    assert r.returncode != 0 and "unknown variant(s) ['deqdet-huge']" in r.stderr

def test_deq_runs_record_the_steps_curve_and_share_the_baseline(tmp_path):
    r = _run('run', 'deq', '--variants', 'deqdet-tiny', '--seeds', '0', out=tmp_path)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    run = json.loads((tmp_path/'deq'/'deqdet-tiny'/'seed0.json').read_text())
    assert [int(k) for k in run['coco_by_steps']] == [0, 1, 2, 3, 4, 6, 9, 12, 21]
    assert run['config']['recipe']['lr_mults'] == {'decoder.': 4.0} and run['config']['recipe']['wd_mults'] == {'decoder.': 10.0}
    assert 'in_points=' not in run['config']['model']['builder_source'] and any(
        isinstance(v, dict) and v.get('in_points') == 32 for v in run['config']['model'].values())   # the official 2x points
    # the baseline is the StageInteractor study's run: its file lives there, and a deq run finds it done
    (tmp_path/'stage_interactor'/'adamixer-tiny-6').mkdir(parents=True)
    (tmp_path/'stage_interactor'/'adamixer-tiny-6'/'seed0.json').write_text('{}')
    r = _run('run', 'deq', '--variants', 'adamixer-tiny-6', '--seeds', '0', out=tmp_path)
    assert '0 run(s) to do, 1 already done' in r.stdout, r.stdout

def test_paper_notebooks_render_their_verdict_from_the_results():
    "Each paper notebook states its verdict through qdetlit.studies.verdict_line (read from results/), never typed by hand."
    want = {'11a_stage_interactor': ["'stage_interactor'"], '12_sd_detr': ["'sd_detr'"], '13_deq': ["'deq'"], '15_salt': ["'salt'"],
            '16_co_detr': ["'co_detr'", "'co_dino'", "'co_dab_detr'"], '09b_dino': ["'dino_assigner'", "'co_dino'"],
            '14d_gfl': ["'salt', '../../results', variant='gfl-tiny'"]}
    for nb, calls in want.items():
        cells = json.loads((ROOT/'nbs'/'api'/f'{nb}.ipynb').read_text())['cells']
        src = [''.join(c['source']) for c in cells]
        for args in calls:
            assert any(c['cell_type'] == 'code' and f"verdict_line({args}" in s for c, s in zip(cells, src)), (nb, args)
        assert not any('Verdict at teaching scale' in s for c, s in zip(cells, src) if c['cell_type'] == 'markdown'), nb

def test_studies_on_other_bases_share_the_dino_baseline_and_run_dab_at_stride_8(tmp_path):
    "dino_assigner's baseline is the co_dino run (one file, found done); Co-DAB-DETR's rows record stride 8 and its pyramid."
    r = _run('run', 'dino_assigner', '--seeds', '0', out=tmp_path)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert (tmp_path/'co_dino'/'dino-tiny'/'seed0.json').exists() and (tmp_path/'dino_assigner'/'plus_cross-stage_assigner'/'seed0.json').exists()
    assert not (tmp_path/'dino_assigner'/'dino-tiny').exists()
    r = _run('run', 'co_dino', '--variants', 'dino-tiny', '--seeds', '0', out=tmp_path)
    assert '0 run(s) to do, 1 already done' in r.stdout, r.stdout
    r = _run('run', 'co_dab_detr', '--variants', '+atss', '--seeds', '0', out=tmp_path)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    run = json.loads((tmp_path/'co_dab_detr'/'plus_atss'/'seed0.json').read_text())
    cfg = run['config']['model']['config0']
    assert (cfg['base']['feature_level'], cfg['adapter_up'], cfg['adapter_down'], cfg['heads']) == (3, [], 3, ['atss'])
    assert run['config']['recipe']['lr'] == 5e-4
