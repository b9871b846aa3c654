#!/usr/bin/env python
"""Regenerate README.md from nbs/index.ipynb without Quarto.

The notebook goes through nbdev's own docs processors (`FilterDefaults`, what `nbdev_proc_nbs` applies: directives,
hidden cells, show_doc), then each cell becomes GitHub markdown: markdown as is, code in ```python fences, stored
text outputs in plain fences. Image outputs are not inlined (README.md stays a text file).

    python tools/make_readme.py           # write README.md
    python tools/make_readme.py --check   # exit 1 if README.md is not what the notebook gives
"""
import sys, os, re
from pathlib import Path

def render(nb_path):
    from execnb.nbio import read_nb
    from nbdev.processors import FilterDefaults
    os.environ['IN_TEST'] = '1'
    nb = read_nb(nb_path)
    FilterDefaults()(nb)
    out = []
    for c in nb.cells:
        src = ''.join(c.source).strip() if isinstance(c.source, list) else c.source.strip()
        if c.cell_type == 'raw' and src.startswith('---'):  # frontmatter -> title and description
            title = re.search(r'^title:\s*(.+)$', src, re.M); desc = re.search(r'^description:\s*((?:.+\n?)(?:  .+\n?)*)', src, re.M)
            if title: out.append(f"# {title.group(1).strip()}")
            if desc: out.append("> " + ' '.join(desc.group(1).split()))
        elif c.cell_type == 'markdown':  # links to other pages of nbs/ become links to the notebooks, from the root
            if src and not src.startswith('<!-- WARNING'): out.append(re.sub(r'\]\((?![a-z]+:|#|/)([^)\s]+\.(?:ipynb|qmd))', r'](nbs/\1', src))
        elif c.cell_type == 'code' and src:
            if not re.search(r'^#\|\s*echo:\s*false', ''.join(c.source), re.M): out.append(f"```python\n{src}\n```")
            for o in c.get('outputs', []):
                if 'image/png' in o.get('data', {}): continue  # a figure: its text/plain is only "<Figure size ...>"
                txt = o.get('text') if o.get('output_type') == 'stream' else o.get('data', {}).get('text/plain')
                if txt: out.append("```\n" + (''.join(txt) if isinstance(txt, list) else txt).rstrip() + "\n```")
    return '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    root = Path(__file__).resolve().parent.parent
    text = render(root/'nbs'/'index.ipynb')
    readme = root/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            sys.exit("README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py` and commit it")
        print("README.md is up to date")
    else:
        readme.write_text(text, encoding='utf-8'); print(f"wrote {readme}")
