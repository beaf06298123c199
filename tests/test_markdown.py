"""The built-in Markdown renderer escapes everything it does not write itself."""

from __future__ import annotations

from board.markdown import render, render_plain


def test_the_supported_marks() -> None:
    html = render(
        "# 概要\n本文1行目\n本文2行目 **重要** と *強調* と `code`\n\n"
        "- 項目1\n- 項目2 [市のサイト](https://www.city.example.jp/)\n\n"
        "1. 一\n2. 二\n\n> 引用\n\n| 列1 | 列2 |\n|---|---|\n| a | b |\n\n```\nx = 1\n```\n---\n"
    )
    assert "<h2>概要</h2>" in html
    paragraph = "本文1行目<br>本文2行目 <strong>重要</strong> と <em>強調</em> と <code>code</code>"
    assert f"<p>{paragraph}</p>" in html
    assert '<a href="https://www.city.example.jp/" rel="noopener noreferrer">市のサイト</a>' in html
    assert "<ol><li>一</li><li>二</li></ol>" in html
    assert "<blockquote><p>引用</p></blockquote>" in html
    assert "<th>列1</th><th>列2</th>" in html and "<td>a</td><td>b</td>" in html
    assert "<pre><code>x = 1</code></pre>" in html
    assert "<hr>" in html


def test_raw_html_and_script_links_are_text() -> None:
    html = render(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) `<b>` **<i>x</i>**\n\n```\n</code><script>\n```"
    )
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "href" not in html
    assert "<code>&lt;b&gt;</code>" in html
    assert "<pre><code>&lt;/code&gt;&lt;script&gt;</code></pre>" in html


def test_plain_text_keeps_lines_and_escapes() -> None:
    assert render_plain("一行目 <b>\n二行目\n\n次の段落") == (
        "<p>一行目 &lt;b&gt;<br>二行目</p>\n<p>次の段落</p>"
    )


def test_images_and_other_schemes_load_nothing() -> None:
    html = render(
        "![図](https://tracker.example/pixel.png) [data](data:text/html,x) "
        "[mail](mailto:a@example.jp) <https://www.city.example.jp/a>"
    )
    assert "<img" not in html  # an image is at most a link the reader may follow
    assert 'href="data:' not in html and 'href="mailto:' not in html
    assert 'href="https://www.city.example.jp/a" rel="noopener noreferrer"' in html
