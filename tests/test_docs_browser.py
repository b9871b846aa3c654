"""The offline site in a real headless browser (Debian's Chromium through Playwright).

Each test opens a page over HTTP, checks what a reader sees (title, show_doc signatures and parameter tables,
figures that load, rendered math, working navigation and search), that nothing went wrong in the browser
(no console error, no uncaught exception, no failed request), and saves screenshots.
"""
import json, re
import pytest
from conftest import docs

def _tree(): return docs.read_sidebar()['website']['sidebar']['contents']

def _section(name):
    return next(s for s in _tree() if isinstance(s, dict) and s['section'] == name)

def _page(rel): return docs.read_page(rel)

def _n_figures(p):
    "How many stored image outputs the processed notebook has."
    return sum('image/png' in o.get('data', {}) or 'image/jpeg' in o.get('data', {}) or 'image/svg+xml' in o.get('data', {})
               for c in p['nb']['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))

API = _page('api/00_box_ops.ipynb')                  # an API page (qdetlit.box_ops)
TUTORIAL = _page('tutorials/quickstart.ipynb')    # a tutorial page
HOME = _page('index.ipynb')
LESSON = _page('course/00_boxes.ipynb')           # a course lesson, with figures and exercises

def _no_errors(page): assert not page.errors, '\n'.join(page.errors)

def test_home(page, shots):
    page.open('index.html')
    assert page.pw.title() == HOME['title']
    assert page.pw.inner_text('article h1').strip().rstrip('#¶').strip() == HOME['title']
    nav = page.pw.locator('.sidebar-tree')
    for cap in ('Course', 'Tutorials', 'Explanations', 'API'): assert nav.get_by_text(cap, exact=True).count() == 1
    page.pw.screenshot(path=shots/'home.png')
    # navigation: the sidebar link reaches the API page
    nav.locator(f'a[href="{API["docname"]}.html"]').click()
    page.settle()
    assert page.pw.url.endswith(f'{API["docname"]}.html') and page.pw.title() == f'{API["title"]} - qdetlit'
    _no_errors(page)

def test_api_page(page, shots):
    page.open(f'{API["docname"]}.html')
    pw = page.pw
    assert pw.title() == f'{API["title"]} - qdetlit'
    # show_doc: a signature block and a parameter table for each exported function of the module
    import importlib
    mod = importlib.import_module('qdetlit.box_ops')
    sigs = pw.eval_on_selector_all('article div.highlight pre', 'els => els.map(e => e.innerText)')
    for name in mod.__all__:
        assert any(re.search(rf'^(def|class) {name}\(', s, re.M) for s in sigs), f"no show_doc signature for {name}"
    tables = pw.locator('article table.nbdev-params')
    assert tables.count() == len(mod.__all__)
    assert tables.first.locator('th').all_inner_texts()[0].strip() == 'Parameter'
    iou = pw.locator('section#box-iou table.nbdev-params').inner_text()
    assert 'boxes1' in iou and 'boxes2' in iou and 'Returns' in iou
    # stored figures load
    imgs = page.images()
    assert len(imgs) >= max(1, _n_figures(API)) and all(w > 0 for _, w in imgs), imgs
    # math is rendered (MathJax, served by the site itself)
    assert pw.locator('article math').count() > 0
    pw.screenshot(path=shots/'api.png')
    pw.locator('article img').first.scroll_into_view_if_needed()
    pw.screenshot(path=shots/'api_figure.png')
    # Quarto-style anchors (nbdev's doc links) work: #box_iou is the show_doc of box_iou
    page.open(f'{API["docname"]}.html#box_iou')
    assert pw.evaluate("document.getElementById('box_iou').closest('section').querySelector('h3').innerText").startswith('box_iou')
    pw.evaluate("document.getElementById('box_iou').closest('section').scrollIntoView({behavior: 'instant', block: 'start'})")
    pw.screenshot(path=shots/'api_showdoc.png')
    _no_errors(page)

def test_tutorial_page(page, shots):
    page.open(f'{TUTORIAL["docname"]}.html')
    pw = page.pw
    assert pw.title() == f'{TUTORIAL["title"]} - qdetlit'
    imgs = page.images()
    assert len(imgs) >= max(1, _n_figures(TUTORIAL)) and all(w > 0 for _, w in imgs), imgs
    pw.screenshot(path=shots/'tutorial.png')
    pw.locator('article img').first.scroll_into_view_if_needed()
    pw.screenshot(path=shots/'tutorial_figure.png')
    # a backticked name is a link to its show_doc on the API page
    pw.locator(f'article a[href$="{API["docname"]}.html#box_iou"]').first.click()
    page.settle()
    assert pw.url.endswith(f'{API["docname"]}.html#box_iou') and pw.title() == f'{API["title"]} - qdetlit'
    assert pw.evaluate("document.getElementById('box_iou').closest('section').querySelector('h3').innerText").startswith('box_iou')
    _no_errors(page)

def test_tutorials_listing(page):
    page.open('tutorials/index.html')
    rows = page.pw.locator('article table tbody tr')
    assert rows.count() == len(_section('Tutorials')['contents'])
    assert TUTORIAL['title'] in rows.first.inner_text()
    _no_errors(page)

def test_search(page, shots):
    page.open('index.html')
    pw = page.pw
    pw.fill('input.sidebar-search', 'generalized_box_iou')
    pw.press('input.sidebar-search', 'Enter')
    pw.wait_for_selector('#search-results ul.search li a', timeout=15000)
    page.settle()
    pw.screenshot(path=shots/'search.png')
    hit = pw.locator(f'#search-results ul.search li a[href*="{API["docname"]}.html"]').first
    hit.click()
    page.settle()
    assert pw.title() == f'{API["title"]} - qdetlit'
    _no_errors(page)

def test_course_lesson(page, shots):
    "A lesson page shows its figures and its exercises (the stub and its check), but no solution."
    page.open(f'{LESSON["docname"]}.html')
    pw = page.pw
    assert pw.title() == f'{LESSON["title"]} - qdetlit'
    imgs = page.images()
    assert len(imgs) >= max(1, _n_figures(LESSON)) and all(w > 0 for _, w in imgs), imgs
    pw.locator('article img').first.scroll_into_view_if_needed()
    assert pw.locator('article img').first.is_visible()
    ex = pw.locator('article section#exercises')
    assert ex.count() == 1 and ex.is_visible(), "no Exercises section"
    code = ' '.join(ex.locator('div.highlight pre').all_inner_texts())
    assert 'def my_giou' in code and 'raise NotImplementedError' in code, code[:500]
    assert 'check_my_giou(my_giou)' in code and '#| exercise' not in code
    ex.scroll_into_view_if_needed(); pw.screenshot(path=shots/'lesson_exercises.png')
    _no_errors(page)

def test_course_index_lists_the_lessons(page):
    page.open('course/index.html')
    text = page.pw.locator('article').inner_text()
    for rel in _section('Course')['contents']:
        assert _page(rel)['title'].split(':')[0] in text or _page(rel)['docname'].split('/')[-1] in page.pw.content(), rel
    _no_errors(page)
