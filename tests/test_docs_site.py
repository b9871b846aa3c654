"""The offline documentation site: every page built, no broken internal link, every exported symbol documented."""
import html as htmllib, importlib, inspect, json, re
from pathlib import Path
import pytest
from conftest import ROOT, docs

def _sidebar_pages():
    return [docs.read_page(rel) for rel in docs.sidebar_files()]

def test_sidebar_yml_is_current():
    "nbs/sidebar.yml (what Quarto's sidebar and the offline navigation both read) matches the files in nbs/."
    assert (docs.NBS/'sidebar.yml').read_text(encoding='utf-8') == docs.sidebar_yml(), \
        "nbs/sidebar.yml is stale: run `python tools/docs.py sidebar` and commit it"

def test_sidebar_sections():
    tree = docs.sidebar_tree()['website']['sidebar']['contents']
    assert tree[0] == 'index.ipynb'
    secs = {s['section']: s for s in tree if isinstance(s, dict)}
    assert 'api/00_box_ops.ipynb' in secs['API']['contents']
    assert secs['Tutorials']['href'] == 'tutorials/index.qmd' and 'tutorials/quickstart.ipynb' in secs['Tutorials']['contents']
    assert secs['Course']['href'] == 'course/index.ipynb'
    assert secs['Explanations']['href'] == 'explanations/index.ipynb'
    pages = ['01_data_contract', '02_anatomy', '03_adding_a_detector', '04_adding_an_assigner', '05_results']
    assert secs['Explanations']['contents'] == [f'explanations/{p}.ipynb' for p in pages]   # in reading order
    order = [s['section'] for s in tree if isinstance(s, dict)]
    assert order == ['Course', 'Tutorials', 'Explanations', 'API'], order

def test_every_page_built(site):
    for p in _sidebar_pages():
        html = site/(p['docname'] + '.html')
        assert html.exists(), f"{p['rel']} -> {html} was not built"
        m = re.search(r'<title>([^<]*)</title>', html.read_text(encoding='utf-8'))
        title = htmllib.unescape(m.group(1)) if m else None   # Sphinx writes ' as &#39;, for instance
        assert title is not None and title.startswith(p['title']), f"{html}: title is {title!r}, not {p['title']!r}"

def test_navigation_lists_every_page(site):
    "The sidebar of the offline site has a link to every page of nbs/sidebar.yml, under its section's caption."
    html = (site/'index.html').read_text(encoding='utf-8')
    nav = html[html.index('sidebar-tree'):]
    nav = nav[:nav.index('</nav>') if '</nav>' in nav else len(nav)]
    for p in _sidebar_pages():
        if p['docname'] != 'index': assert f'href="{p["docname"]}.html"' in nav, f"{p['docname']} is not in the navigation"
    for s in ('Course', 'Tutorials', 'Explanations', 'API'): assert f'>{s}<' in nav

def test_internal_links(site):
    problems, n = docs.check_links(site)
    assert n >= 4 and not problems, '\n'.join(problems)

def test_link_checker_catches_broken_links(tmp_path):
    (tmp_path/'a.html').write_text('<a href="b.html#there">b</a> <a href="missing.html">m</a> <img src="x.png">'
                                   '<a href="https://example.org/">ext</a> <a href="#top">top</a><p id="top"></p>')
    (tmp_path/'b.html').write_text('<h1 id="elsewhere">b</h1>')
    problems, n = docs.check_links(tmp_path)
    assert n == 2 and len(problems) == 3, problems
    assert any('no id "there"' in p for p in problems) and any('missing.html' in p for p in problems)

# ---------------------------------------------------------------------------------------------------------------
# The translation of Quarto's input into MyST (tools/docs.py)

def test_links_rewritten():
    link = docs.Linker([{'rel': '00_box_ops.ipynb', 'docname': 'box_ops'}, {'rel': 'index.ipynb', 'docname': 'index'},
                        {'rel': 'tutorials/quickstart.ipynb', 'docname': 'tutorials/quickstart'}])
    tut = {'rel': 'tutorials/quickstart.ipynb', 'docname': 'tutorials/quickstart'}
    site = docs.site_url()
    md = (f'[`box_iou`]({site}box_ops.html#box_iou) [home]({site.rstrip("/")}) [nb](../00_box_ops.ipynb#x) '
          '[ext](https://pytorch.org/a.html) [here](#top) <img src="../00_box_ops.ipynb">')
    assert link(md, tut) == ('[`box_iou`](../box_ops.html#box_iou) [home](../index.html) [nb](../box_ops.html#x) '
                             '[ext](https://pytorch.org/a.html) [here](#top) <img src="../box_ops.html">')
    assert link(f'[a]({site}tutorials/quickstart.html)', {'rel': 'index.ipynb', 'docname': 'index'}) == '[a](tutorials/quickstart.html)'

def test_cell_options():
    assert docs._cell_opts('#| echo: false\n#| output: asis\nshow_doc(f)') == ({'echo': 'false', 'output': 'asis'}, 'show_doc(f)')
    assert docs._cell_opts('#|code-fold: true\nx = 1\n#| not a directive here') == ({'code-fold': 'true'}, 'x = 1\n#| not a directive here')

def test_showdoc_table():
    "show_doc's markdown gets a thematic break, a [source] link MyST can read, no blank lines, and a parameter table."
    cfg = docs.settings()
    md = ('---\n\n[source](' + cfg['git_url'] + '/blob/main/qdetlit/box_ops.py#L47){target="_blank" style="float:right"}\n\n'
          '### box_xyxy_to_xyzr\n\n```python\n\ndef box_xyxy_to_xyzr(\n    boxes:Tensor,\n)->Tensor:\n\n\n```\n\n*Encode.*')
    out = docs.showdoc_md(md, cfg)
    assert out.startswith('***\n') and '{.nbdev-source}' in out and '```python\ndef box_xyxy_to_xyzr(\n' in out
    assert '| `eps` | `float` | `1e-07` | added to \\|w\\|, \\|h\\| before the log |' in out  # | escaped in cells
    assert out.rstrip().endswith('|') and '{.nbdev-params}' in out

def test_pandoc_ids():
    "Heading ids as pandoc makes them (nbdev's doc links use them), e.g. box_ops.html#box_iou, #hungarianmatcher.forward."
    assert docs.pandoc_id('box_iou') == 'box_iou'
    assert docs.pandoc_id('HungarianMatcher.forward') == 'hungarianmatcher.forward'
    assert docs.pandoc_id("AdaMixer's xyzr") == 'adamixers-xyzr'
    assert docs.pandoc_id('1. Setup (fast)') == 'setup-fast'

def test_proc_notebooks_have_front_matter(site):
    "nbdev turned each notebook's `# Title` + `> description` into front matter (the page title and description)."
    for rel in docs.sidebar_files():
        p = docs.read_page(rel)
        if rel.endswith('.ipynb'): assert p['fm'].get('title') and p['fm'].get('description'), f"{rel}: no `# Title` / `> description`"

# ---------------------------------------------------------------------------------------------------------------
# API reference: every exported public symbol (each module's __all__) has a docstring and a show_doc block

def _modidx():
    return importlib.import_module('qdetlit._modidx').d['syms']

def _exported():
    out = []
    for mod in sorted(_modidx()):
        m = importlib.import_module(mod)
        out += [(mod, n) for n in getattr(m, '__all__', []) if not n.startswith('_')]
    return out

def _own_doc(obj):
    doc = obj.__dict__.get('__doc__') if inspect.isclass(obj) else getattr(obj, '__doc__', None)
    return (doc or '').strip()

def symbol_problems(mod, name, obj, site):
    "What is missing for `mod.name` in the API reference: its docstring, its page, its show_doc block."
    idx = _modidx().get(mod, {})
    documentable = inspect.isclass(obj) or inspect.isroutine(obj)
    probs = []
    if documentable and not _own_doc(obj): probs.append(f"{mod}.{name} has no docstring")
    entry = idx.get(f'{mod}.{name}')
    if documentable and not entry:
        return probs + [f"{mod}.{name} is not in qdetlit/_modidx.py (is it exported from a notebook?)"]
    pages = {v[0].split('#')[0] for v in idx.values()}
    page, _, anchor = entry[0].partition('#') if entry else (sorted(pages)[0] if pages else '', '', '')
    html_path = site/page
    if not page or not html_path.exists(): return probs + [f"{mod}.{name}: no API page {page!r} in {site}"]
    html = html_path.read_text(encoding='utf-8')
    if documentable:
        if f'id="{anchor}"' not in html: probs.append(f"{mod}.{name}: no show_doc heading #{anchor} on {page}")
        text = re.sub(r'<[^>]+>', '', html)
        sig = re.search(rf'^(def|class) {re.escape(name.split(".")[-1])}\(', text, re.M)
        if not sig: probs.append(f"{mod}.{name}: no show_doc signature on {page}")
    elif name not in html: probs.append(f"{mod}.{name} is not mentioned on {page}")
    return probs

@pytest.mark.parametrize('mod,name', _exported(), ids=lambda x: x)
def test_exported_symbol_documented(site, mod, name):
    obj = getattr(importlib.import_module(mod), name)
    assert not symbol_problems(mod, name, obj, site), symbol_problems(mod, name, obj, site)

def test_undocumented_symbol_is_caught(site, monkeypatch):
    "The check above fails for a function without a docstring, and for one without a show_doc on the page."
    import qdetlit.box_ops as bo
    def box_iou(boxes1, boxes2): return None
    monkeypatch.setattr(bo, 'box_iou', box_iou)
    assert symbol_problems('qdetlit.box_ops', 'box_iou', box_iou, site) == ['qdetlit.box_ops.box_iou has no docstring']
    def not_exported(x): "Has a docstring."
    probs = symbol_problems('qdetlit.box_ops', 'not_exported', not_exported, site)
    assert probs and 'not in qdetlit/_modidx.py' in probs[0]
