#!/usr/bin/env python3
"""File-level import graph of the crate under src/, and its cycles.

Usage: python3 tools/import_graph.py [--src DIR] [--edges] [--max-cycles N]

Exits 0 when the graph is a DAG, 1 when it has a cycle (each one is printed with the line
that makes every edge), 2 on a usage or parse error.

What is an edge `a.rs -> b.rs`: a names, in a `use` declaration or in a path in its code, an
item or module whose home is b. Paths are resolved the way rustc does, over the module tree
that the `mod` declarations build from src/lib.rs (and src/main.rs, where `clovicharts::` is
the library):

- `crate::`, `super::`, `self::` and paths that start with a child module or a `use` name;
- a name that a module only re-exports (`pub use child::X`, or a private `use`, which children
  can also reach through `super::X`) is followed to the file that defines it, so a facade
  `mod.rs` that re-exports `model::Spec` is not a dependency of a child that imports
  `super::Spec`; a re-export itself is an edge parent -> child;
- a name *defined* in the parent (a struct, a fn, a const in mod.rs) is an edge child ->
  parent, so a parent that re-exports (or calls) a child while the child imports from the
  parent is a cycle;
- `mod child;` alone is not an edge (declaring a module is not using it), and an inline
  `mod tests { use super::*; }` resolves to its own file; modules under `#[cfg(test)]` are
  left out altogether (unit tests are not part of the crate that ships);
- comments (doc links included), string literals and `pub(in path)` visibilities are not uses.

Only the standard library is used, so CI runs it without installing anything.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict

LIB_CRATE = "clovicharts"

TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<ident>r\#[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*)
  | (?P<path>::)
  | (?P<num>[0-9][0-9A-Za-z_.]*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

ITEM_KEYWORDS = {"fn", "struct", "enum", "trait", "type", "const", "static", "union"}
# Words that may sit between `pub`/attributes and an item keyword.
ITEM_MODIFIERS = {"pub", "unsafe", "async", "extern", "default", "crate", "in", "super", "self"}


def strip_comments_and_strings(text: str) -> str:
    """Blank out comments, string and char literals, keeping every newline (for line numbers)."""
    out = []
    i, n = 0, len(text)

    def blank(s: str) -> str:
        return "".join("\n" if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(blank(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(blank(text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 300]) and not _ident_before(text, i):
            m = re.match(r'r(#*)"', text[i:])
            hashes = m.group(1)
            end = text.find('"' + hashes, i + len(m.group(0)))
            j = n if end < 0 else end + 1 + len(hashes)
            out.append(blank(text[i:j]))
            i = j
        elif c == "b" and text.startswith('b"', i) and not _ident_before(text, i):
            j = _skip_quoted(text, i + 1, '"')
            out.append(blank(text[i:j]))
            i = j
        elif c == '"':
            j = _skip_quoted(text, i, '"')
            out.append(blank(text[i:j]))
            i = j
        elif c == "'":
            # A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a): only the former is blanked.
            m = re.match(r"'(\\(u\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{2}|.)|[^\\'\n])'", text[i:i + 16])
            if m:
                out.append(blank(m.group(0)))
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _ident_before(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")


def _skip_quoted(text: str, i: int, quote: str) -> int:
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text[j] == quote:
            return j + 1
        else:
            j += 1
    return j


def tokenize(text: str) -> list[tuple[str, str, int]]:
    """(kind, value, line) for every non-blank token of comment-free text."""
    toks = []
    line = 1
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        val = m.group(0)
        if kind != "ws":
            toks.append((kind, val, line))
        line += val.count("\n")
    return toks


class Module:
    """One module of the tree: the file it lives in and the names it binds."""

    def __init__(self, path: tuple[str, ...], file: str, parent: "Module | None"):
        self.path = path
        self.file = file
        self.parent = parent
        self.children: dict[str, Module] = {}
        self.defined: set[str] = set()
        # name -> (absolute-or-relative segments, line) from `use` at item level.
        self.aliases: dict[str, list[str]] = {}
        self.globs: list[list[str]] = []

    def __repr__(self) -> str:
        return "::".join(self.path) or "crate"


class UseDecl:
    """One leaf of a `use` tree: its segments, the name it binds (or `*`), where it stands."""

    def __init__(self, segs: list[str], bind: str | None, line: int, module: Module, item_level: bool):
        self.segs = segs
        self.bind = bind
        self.line = line
        self.module = module
        self.item_level = item_level


class Crate:
    """The module tree of one crate root and every path found in its files."""

    def __init__(self, name: str, root_file: str, src: str, lib: "Crate | None" = None):
        self.name = name
        self.src = src
        self.lib = lib
        self.root = Module((), root_file, None)
        self.uses: list[UseDecl] = []
        # (segments, line, module) for paths in code.
        self.code_paths: list[tuple[list[str], int, Module]] = []
        self.files: list[str] = []
        self.missing: list[str] = []
        self._load_file(self.root, root_file, module_dir=os.path.dirname(root_file))

    # --- building the tree -------------------------------------------------------------------

    def _load_file(self, module: Module, file: str, module_dir: str) -> None:
        self.files.append(file)
        with open(file, encoding="utf-8") as f:
            text = strip_comments_and_strings(f.read())
        toks = tokenize(text)
        self._parse_items(toks, 0, len(toks), module, module_dir, body_depth=0)

    def _parse_items(self, toks, start, end, module: Module, module_dir: str, body_depth: int) -> None:
        """Walk tokens [start, end) that form the body of `module`."""
        i = start
        depth = 0  # brace depth relative to the module body
        while i < end:
            kind, val, line = toks[i]
            if val == "{":
                depth += 1
            elif val == "}":
                depth -= 1
            elif kind == "ident" and val == "mod" and _is_mod_decl(toks, i, end):
                name = toks[i + 1][1]
                nxt = toks[i + 2][1]
                if _is_cfg_test(toks, i):
                    # Unit tests build only under cfg(test): not part of the crate's graph.
                    i = 3 + i if nxt == ";" else _matching_brace(toks, i + 2, end) + 1
                    continue
                if nxt == ";":
                    child_file = self._child_file(module_dir, name)
                    child = Module(module.path + (name,), child_file or "", module)
                    module.children[name] = child
                    if child_file is None:
                        self.missing.append(f"{module.file}:{line}: no file for `mod {name};`")
                    else:
                        self._load_file(child, child_file, os.path.join(module_dir, name))
                    i += 3
                    continue
                # Inline module: same file, its own scope.
                close = _matching_brace(toks, i + 2, end)
                child = Module(module.path + (name,), module.file, module)
                module.children[name] = child
                self._parse_items(toks, i + 3, close, child, os.path.join(module_dir, name), body_depth + 1)
                i = close + 1
                continue
            elif kind == "ident" and val == "use" and _prev_val(toks, i) != "::":
                j = self._parse_use(toks, i + 1, end, module, line, item_level=depth == 0)
                i = j
                continue
            elif kind == "ident" and val == "pub" and i + 2 < end and toks[i + 1][1] == "(" and toks[i + 2][1] == "in":
                # `pub(in crate::x)` names a scope, not a dependency.
                j = i
                while j < end and toks[j][1] != ")":
                    j += 1
                i = j + 1
                continue
            elif kind == "ident" and val in ITEM_KEYWORDS and depth == 0:
                if i + 1 < end and toks[i + 1][0] == "ident" and _is_item_start(toks, i):
                    module.defined.add(toks[i + 1][1])
            elif kind == "ident" and val == "macro_rules" and i + 2 < end and toks[i + 1][1] == "!":
                module.defined.add(toks[i + 2][1])
            elif kind == "ident" and _prev_val(toks, i) != "::" and i + 1 < end and toks[i + 1][1] == "::":
                segs, j = _read_path(toks, i, end)
                if len(segs) > 1:
                    self.code_paths.append((segs, line, module))
                i = j
                continue
            i += 1

    def _child_file(self, module_dir: str, name: str) -> str | None:
        for cand in (os.path.join(module_dir, name + ".rs"), os.path.join(module_dir, name, "mod.rs")):
            if os.path.isfile(cand):
                return cand
        return None

    def _parse_use(self, toks, i, end, module: Module, line: int, item_level: bool) -> int:
        """Parse a use tree starting at toks[i]; return the index after its `;`."""
        j = i
        while j < end and toks[j][1] != ";":
            j += 1
        tree = [t for t in toks[i:j]]
        leaves: list[tuple[list[str], str | None, int]] = []
        _use_tree(tree, 0, [], leaves)
        for segs, bind, ln in leaves:
            if segs and segs[0] == "::":
                segs = segs[1:]
            decl = UseDecl(segs, bind, ln, module, item_level)
            self.uses.append(decl)
            if item_level:
                if bind == "*":
                    module.globs.append(segs)
                elif bind and bind != "_":
                    module.aliases[bind] = segs
        return j + 1

    # --- resolving -----------------------------------------------------------------------------

    def absolute(self, segs: list[str], ctx: Module, seen: frozenset = frozenset()) -> list[str] | None:
        """Segments of `segs` (as written in `ctx`) from the crate root, or None if external."""
        if not segs:
            return None
        head = segs[0]
        if head == "crate":
            return ["crate"] + segs[1:]
        if head == "self":
            return ["crate", *ctx.path] + segs[1:]
        if head == "super":
            m = ctx
            k = 0
            while k < len(segs) and segs[k] == "super":
                if m.parent is None:
                    return None
                m = m.parent
                k += 1
            return ["crate", *m.path] + segs[k:]
        if head == LIB_CRATE and self.lib is not None:
            return [LIB_CRATE] + segs[1:]
        if head in ctx.children or head in ctx.defined:
            return ["crate", *ctx.path] + segs
        if head in ctx.aliases and (ctx, head) not in seen:
            target = self.absolute(ctx.aliases[head], ctx, seen | {(ctx, head)})
            if target is None:
                return None
            return target + segs[1:]
        return None

    def home(self, abs_segs: list[str], depth: int = 0) -> str | None:
        """The file that defines what `abs_segs` names (following re-exports)."""
        if abs_segs[0] == LIB_CRATE and self.lib is not None:
            return self.lib.home(["crate"] + abs_segs[1:], depth)
        m = self.root
        rest = abs_segs[1:]
        k = 0
        while k < len(rest):
            seg = rest[k]
            if seg in m.children:
                m = m.children[seg]
                k += 1
                continue
            if seg in m.defined:
                return m.file
            if seg in m.aliases and depth < 32:
                target = self.absolute(m.aliases[seg], m)
                if target is None:
                    return m.file  # re-export of an external item: this file is its home here
                return self.home(target + rest[k + 1:], depth + 1)
            for g in m.globs:
                gabs = self.absolute(g, m)
                if gabs is None or depth >= 32:
                    continue
                gm = self._module_at(gabs)
                if gm is not None and (seg in gm.children or seg in gm.defined or seg in gm.aliases):
                    return self.home(gabs + rest[k:], depth + 1)
            return m.file
        return m.file

    def _module_at(self, abs_segs: list[str]) -> Module | None:
        m = self.root
        for seg in abs_segs[1:]:
            if seg not in m.children:
                return None
            m = m.children[seg]
        return m


def _prev_val(toks, i) -> str | None:
    return toks[i - 1][1] if i > 0 else None


def _is_cfg_test(toks, i) -> bool:
    """Whether the `mod` at `i` is preceded by `#[cfg(test)]`."""
    return [v for _, v, _ in toks[max(0, i - 7):i]] == ["#", "[", "cfg", "(", "test", ")", "]"]


def _is_mod_decl(toks, i, end) -> bool:
    if i + 2 >= end or toks[i + 1][0] != "ident":
        return False
    if _prev_val(toks, i) == "::":
        return False
    return toks[i + 2][1] in (";", "{")


def _is_item_start(toks, i) -> bool:
    """True when the keyword at i begins an item (not `impl Trait for` or a `const` in a type)."""
    k = i - 1
    while k >= 0:
        kind, val, _ = toks[k]
        if val in (";", "{", "}", "]"):
            return True
        if val in ITEM_MODIFIERS or val in ("(", ")") or kind == "ident" and val in ("unsafe", "async"):
            k -= 1
            continue
        return False
    return True


def _matching_brace(toks, i, end) -> int:
    depth = 0
    for j in range(i, end):
        if toks[j][1] == "{":
            depth += 1
        elif toks[j][1] == "}":
            depth -= 1
            if depth == 0:
                return j
    return end


def _read_path(toks, i, end) -> tuple[list[str], int]:
    segs = [toks[i][1]]
    j = i + 1
    while j + 1 < end and toks[j][1] == "::" and toks[j + 1][0] == "ident":
        segs.append(toks[j + 1][1])
        j += 2
    return segs, j


def _use_tree(tree, i, prefix, leaves) -> int:
    """Expand one use tree at tree[i] into (segments, bound name, line) leaves; return next index."""
    segs = list(prefix)
    while i < len(tree):
        kind, val, line = tree[i]
        if val == "::":
            if not segs:
                segs.append("::")
            i += 1
        elif val == "{":
            i += 1
            while i < len(tree) and tree[i][1] != "}":
                i = _use_tree(tree, i, segs, leaves)
                if i < len(tree) and tree[i][1] == ",":
                    i += 1
            return i + 1
        elif val == "*":
            leaves.append((segs, "*", line))
            return i + 1
        elif kind == "ident":
            if val == "self" and segs and segs != ["::"]:
                bind = segs[-1]
                i += 1
                if i + 1 < len(tree) and tree[i][1] == "as":
                    bind = tree[i + 1][1]
                    i += 2
                leaves.append((list(segs), bind, line))
                return i
            segs.append(val)
            i += 1
            if i < len(tree) and tree[i][1] == "as":
                leaves.append((segs, tree[i + 1][1], line))
                return i + 2
            if i >= len(tree) or tree[i][1] in (",", "}"):
                bind = val if val not in ("crate", "super", "self") else None
                leaves.append((segs, bind, line))
                return i
        else:
            # Anything else (a stray token) ends this leaf.
            return i + 1
    if segs:
        leaves.append((segs, segs[-1], tree[-1][2] if tree else 0))
    return i


def build_graph(src: str):
    """Nodes (files relative to src's parent) and edges {(a, b): (line, text)}."""
    lib_root = os.path.join(src, "lib.rs")
    crates = []
    lib = None
    if os.path.isfile(lib_root):
        lib = Crate("lib", lib_root, src)
        crates.append(lib)
    main_root = os.path.join(src, "main.rs")
    if os.path.isfile(main_root):
        crates.append(Crate("bin", main_root, src, lib=lib))
    if not crates:
        raise SystemExit(f"no src/lib.rs or src/main.rs under {src}")

    base = os.path.dirname(os.path.abspath(src))

    def rel(p: str) -> str:
        return os.path.relpath(os.path.abspath(p), base)

    nodes: set[str] = set()
    edges: dict[tuple[str, str], tuple[int, str]] = {}
    problems: list[str] = []

    def add(src_file: str, abs_segs: list[str] | None, crate: Crate, line: int, shown: str) -> None:
        if abs_segs is None:
            return
        target = crate.home(abs_segs)
        if not target or target == src_file:
            return
        key = (rel(src_file), rel(target))
        if key not in edges:
            edges[key] = (line, shown)

    for crate in crates:
        problems.extend(crate.missing)
        nodes.update(rel(f) for f in crate.files)
        for u in crate.uses:
            segs = u.segs
            shown = "use " + "::".join(segs) + ("::*" if u.bind == "*" else "")
            add(u.module.file, crate.absolute(segs, u.module), crate, u.line, shown)
        for segs, line, module in crate.code_paths:
            add(module.file, crate.absolute(segs, module), crate, line, "::".join(segs))
    return nodes, edges, problems


def strongly_connected(nodes, adj):
    """Tarjan's algorithm, iterative; components in reverse topological order."""
    index, low, on, stack, comps = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(adj[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(adj[w]))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                comps.append(sorted(comp))
    return comps


def elementary_cycles(comp, adj, limit):
    """Every simple cycle inside one strongly connected component (up to `limit`)."""
    order = sorted(comp)
    members = set(comp)
    cycles = []
    for s_idx, s in enumerate(order):
        allowed = set(order[s_idx:])
        path = [s]
        on_path = {s}
        stack = [iter(sorted(w for w in adj[s] if w in allowed and w in members))]
        while stack:
            advanced = False
            for w in stack[-1]:
                if w == s:
                    cycles.append(list(path))
                    if len(cycles) >= limit:
                        return cycles, True
                elif w not in on_path:
                    path.append(w)
                    on_path.add(w)
                    stack.append(iter(sorted(x for x in adj[w] if x in allowed and x in members)))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                on_path.discard(path.pop())
    return cycles, False


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    ap.add_argument("--edges", action="store_true", help="print every edge with the line that makes it")
    ap.add_argument("--max-cycles", type=int, default=200, help="stop listing a component's cycles here")
    args = ap.parse_args(argv)

    src = os.path.normpath(args.src)
    nodes, edges, problems = build_graph(src)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    adj = defaultdict(set)
    for a, b in edges:
        adj[a].add(b)
    for n in nodes:
        adj.setdefault(n, set())

    print(f"files: {len(nodes)}  edges: {len(edges)}")
    if args.edges:
        for (a, b), (line, shown) in sorted(edges.items()):
            print(f"  {a} -> {b}    ({a}:{line}: {shown})")

    comps = [c for c in strongly_connected(nodes, adj) if len(c) > 1]
    total = 0
    for comp in sorted(comps):
        cycles, capped = elementary_cycles(comp, adj, args.max_cycles)
        print(f"\ncycle group of {len(comp)} files: {', '.join(comp)}")
        for cyc in cycles:
            total += 1
            print("  cycle: " + " -> ".join(cyc + [cyc[0]]))
            for a, b in zip(cyc, cyc[1:] + [cyc[0]]):
                line, shown = edges[(a, b)]
                print(f"    {a}:{line}: {shown}")
        if capped:
            print(f"  ... more cycles in this group (raise --max-cycles to list them)")
    print(f"\ncycles: {total}" + (f" in {len(comps)} group(s)" if comps else ""))
    return 1 if comps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
