"""documents.diagram: server-side SVG, inline-safe, current state and path highlighted."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from documents.diagram import definition_svg
from workflow.loading import load

REVIEW = load(Path(__file__).resolve().parent / "definitions")[0].get("review")


def _node(svg: str, state: str) -> str:
    match = re.search(rf'<g id="node\d+" class="node">\s*<title>s_{state}</title>(.*?)</g>', svg, re.S)
    assert match, state
    return match.group(1)


def test_svg_is_self_contained_and_inline_safe() -> None:
    svg = definition_svg(REVIEW)
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    assert "xlink" not in svg and "href" not in svg
    assert re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", svg).count("http") == 0
    ElementTree.fromstring(svg)  # well-formed XML
    assert 'font-family="Noto Sans CJK SC"' in svg
    for label in ("起草", "已提交", "会议研究", "评分中", "会签中", "已批准", "已撤回"):
        assert f">{label}</text>" in svg
    assert "提交会议" in svg and "会议决定" in svg  # edge labels
    assert 'aria-label="测试审查流程状态图"' in svg


def test_node_ids_are_ascii() -> None:
    svg = definition_svg(REVIEW)
    for title in re.findall(r"<title>([^<]*)</title>", svg)[1:]:
        assert title.isascii(), title


def test_current_state_and_taken_path_are_highlighted() -> None:
    plain = definition_svg(REVIEW)
    svg = definition_svg(REVIEW, "meeting", [("draft", "submitted"), ("submitted", "meeting")])
    assert "#b71c1c" not in _node(plain, "meeting").lower()
    current = _node(svg, "meeting")
    assert 'fill="#fdecea"' in current and 'stroke="#b71c1c"' in current and 'stroke-width="2.5"' in current
    edges = {(a, b): colour for a, b, colour in re.findall(
        r'<title>s_(\w+)&#45;&gt;s_(\w+)</title>\s*<path fill="none" stroke="(#[0-9a-f]+)"', svg)}
    taken = re.findall(r'<title>s_(\w+)&#45;&gt;s_(\w+)</title>\s*<path fill="none" stroke="#b71c1c"', svg)
    assert ("draft", "submitted") in taken and ("submitted", "meeting") in taken
    assert ("meeting", "scoring") not in taken
    assert edges[("meeting", "scoring")] == "#7a7a7a"  # every other edge is drawn plain
    assert "#b71c1c" not in _node(svg, "approved").lower()


def test_final_states_have_a_double_border() -> None:
    svg = definition_svg(REVIEW)
    assert _node(svg, "approved").count("<path") == 2
    assert _node(svg, "draft").count("<path") == 1
