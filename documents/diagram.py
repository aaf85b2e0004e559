"""Server-side SVG state diagrams of a procedure, drawn by Graphviz ``dot``.

``definition_svg`` draws every state (Chinese labels, ASCII node ids) and every
transition of a definition; it highlights the current state and draws the moves
a case has taken bold and coloured. The SVG is self-contained: no XML prolog,
no DOCTYPE, no comments, no external references and no ``style`` attributes
(only presentation attributes), so pages can inline it under a strict CSP and
the case-history PDF can embed the same markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import graphviz

from workflow.definition.schema import ProcessDefinition

FONT = "Noto Sans CJK SC"
ACCENT = "#B71C1C"
CURRENT_FILL = "#FDECEA"
VISITED_FILL = "#F3F3F3"
PLAIN_EDGE = "#7A7A7A"
TEXT = "#222222"
START_NODE = "__start__"
MAX_WIDTH_PT = 900.0

_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*|<!--.*?-->\s*", re.DOTALL)


def definition_svg(definition: ProcessDefinition, current: str | None = None,
                   taken: Sequence[tuple[str, str]] = (), *, rankdir: str | None = None) -> str:
    """The state diagram of ``definition`` as an inline-safe SVG string.

    ``current`` is the case's state (highlighted); ``taken`` the (from_state, to_state)
    moves of the case in order (drawn bold in the accent colour). Without ``rankdir``
    the diagram runs left to right unless that is wider than a page column
    (``MAX_WIDTH_PT``), then top to bottom.
    """
    svg = _render(definition, current, taken, rankdir or "LR")
    if rankdir is None and _width_pt(svg) > MAX_WIDTH_PT:
        svg = _render(definition, current, taken, "TB")
    return svg


def _render(d: ProcessDefinition, current: str | None, taken: Sequence[tuple[str, str]], rankdir: str) -> str:
    svg = _graph(d, current, taken, rankdir).pipe(format="svg", encoding="utf-8")
    return _clean(svg, d.title)


def _width_pt(svg: str) -> float:
    match = re.search(r'<svg [^>]*width="([0-9.]+)pt"', svg)
    return float(match.group(1)) if match else 0.0


def _graph(d: ProcessDefinition, current: str | None, taken: Sequence[tuple[str, str]],
           rankdir: str) -> graphviz.Digraph:
    moved = [(a, b) for a, b in taken if a and b]
    taken_edges = set(moved)
    visited = {s for move in moved for s in move}
    if current:
        visited.add(current)
    g = graphviz.Digraph(name=d.key, engine="dot")
    g.attr(rankdir=rankdir, bgcolor="white", fontname=FONT, nodesep="0.35", ranksep="0.45", pad="0.1")
    g.attr("node", fontname=FONT, fontsize="12", shape="box", style="rounded,filled", fillcolor="white",
           color="#555555", fontcolor=TEXT, margin="0.12,0.06", height="0.4")
    g.attr("edge", fontname=FONT, fontsize="10", color=PLAIN_EDGE, fontcolor="#444444", arrowsize="0.7")
    g.node(START_NODE, label="", shape="circle", style="filled", fillcolor="#555555", width="0.14",
           height="0.14", fixedsize="true")
    for s in d.states:
        attrs = {"label": s.label}
        if s.final:
            attrs["peripheries"] = "2"
        if s.name == current:
            attrs.update(fillcolor=CURRENT_FILL, color=ACCENT, penwidth="2.5", fontcolor=ACCENT)
        elif s.name in visited:
            attrs.update(fillcolor=VISITED_FILL, color=ACCENT, penwidth="1.2")
        g.node(_node_id(s.name), **attrs)
    initial = d.initial.name
    g.edge(START_NODE, _node_id(initial), color=ACCENT if taken_edges or current else PLAIN_EDGE)
    for (source, dest), labels in _edges(d).items():
        attrs = {"label": " / ".join(labels)}
        if (source, dest) in taken_edges:
            attrs.update(color=ACCENT, fontcolor=ACCENT, penwidth="2.5", style="bold")
        g.edge(_node_id(source), _node_id(dest), **attrs)
    return g


def _edges(d: ProcessDefinition) -> dict[tuple[str, str], list[str]]:
    """Parallel transitions (same source and destination) share one edge with every label."""
    edges: dict[tuple[str, str], list[str]] = {}
    for t in d.transitions:
        for source in t.sources:
            labels = edges.setdefault((source, t.dest), [])
            if t.label not in labels:
                labels.append(t.label)
    return edges


def _node_id(name: str) -> str:
    """Node ids are ASCII (state names already are); anything else is replaced."""
    return "s_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def _clean(svg: str, title: str) -> str:
    svg = _PROLOG.sub("", svg).strip()
    if "xlink:" not in svg.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', ""):
        svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    label = _escape(title)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}状态图" class="state-diagram" ', 1)
    return re.sub(r"(<g id=\"graph0\" class=\"graph\"[^>]*>\s*<title>)[^<]*(</title>)",
                  lambda m: m.group(1) + label + m.group(2), svg, count=1)


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
