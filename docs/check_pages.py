"""Opens every page of the built documentation in headless Chromium and fails when one does not
render (no heading in the rendered DOM), when an image it references is missing or empty, or
when a gallery example shows no figure.

    python docs/check_pages.py BUILD_DIR [CHROMIUM]
"""

import html.parser
import pathlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


class _Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src", ""))


def problems_of(page, build, chromium):
    found = []
    parser = _Images()
    parser.feed(page.read_text(encoding="utf-8"))
    for source in parser.sources:
        if source.startswith(("http:", "https:", "data:")):
            continue
        image = (page.parent / source.split("#")[0].split("?")[0]).resolve()
        if not image.is_file() or image.stat().st_size == 0:
            found.append(f"{page.relative_to(build)}: missing image {source}")
    gallery = page.parent.name == "auto_examples" and page.name.startswith("plot_")
    if gallery and not any("sphx_glr_" in s for s in parser.sources):
        found.append(f"{page.relative_to(build)}: a gallery example without a figure")
    rendered = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
         page.resolve().as_uri()], capture_output=True, text=True, timeout=120)
    if rendered.returncode != 0 or "<h1" not in rendered.stdout:
        found.append(f"{page.relative_to(build)}: did not render (exit {rendered.returncode})")
    return found


def main(build, chromium="chromium"):
    build = pathlib.Path(build)
    pages = [p for p in sorted(build.rglob("*.html"))
             if not p.relative_to(build).parts[0].startswith("_")
             and p.name not in ("genindex.html", "search.html", "py-modindex.html")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = [f for page_problems in pool.map(lambda p: problems_of(p, build, chromium), pages)
                 for f in page_problems]
    for problem in found:
        print(problem)
    print(f"{len(pages)} pages rendered, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
