#!/usr/bin/env python
"""Per-notebook reading statistics: cells, code lines, prose words, where the first figure is, longest code cell,
file size. Used to keep notebooks readable (figure first, short cells, files under 1 MB).

    python tools/nbstats.py [NOTEBOOK ...] [--json FILE]      # default: every notebook under nbs/
"""
import argparse, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

def _has_figure(c):
    return any(k.startswith('image/') for o in c.get('outputs', []) for k in o.get('data', {}))

def _words(md):
    md = re.sub(r'```.*?```', ' ', md, flags=re.S)          # code blocks are not prose
    md = re.sub(r'\$\$.*?\$\$|\$[^$\n]+\$', ' ', md, flags=re.S)  # nor equations
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", md))

def stats(path):
    "A dict of reading statistics for one notebook."
    p = Path(path); cells = json.loads(p.read_text(encoding='utf-8'))['cells']
    code = [c for c in cells if c['cell_type'] == 'code']
    lines = [len([l for l in _src(c).splitlines() if l.strip() and not l.lstrip().startswith('#|')]) for c in code]
    fig = next((i for i, c in enumerate(cells) if _has_figure(c)), None)
    return dict(notebook=str(p.relative_to(ROOT)) if p.is_absolute() and ROOT in p.parents else str(p),
                cells=len(cells), code_lines=sum(lines), max_cell_lines=max(lines, default=0),
                prose_words=sum(_words(_src(c)) for c in cells if c['cell_type'] == 'markdown'),
                first_figure=None if fig is None else round(fig / max(len(cells), 1), 2),
                kb=round(p.stat().st_size / 1024))

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='*'); ap.add_argument('--json')
    a = ap.parse_args(argv)
    nbs = [Path(n).resolve() for n in a.notebooks] or sorted((ROOT/'nbs').rglob('*.ipynb'))
    rows = [stats(n) for n in nbs if '.ipynb_checkpoints' not in str(n)]
    cols = list(rows[0]) if rows else []
    print('| ' + ' | '.join(cols) + ' |'); print('|' + '---|' * len(cols))
    for r in rows: print('| ' + ' | '.join('—' if r[c] is None else str(r[c]) for c in cols) + ' |')
    if a.json: Path(a.json).write_text(json.dumps(rows, indent=1))

if __name__ == '__main__': main()
