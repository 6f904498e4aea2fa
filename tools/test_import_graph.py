#!/usr/bin/env python3
"""Tests for tools/import_graph.py on small made-up crates: python3 tools/test_import_graph.py"""

import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import import_graph  # noqa: E402


def crate(files: dict[str, str]) -> str:
    """Writes `files` (path under src/ -> text) to a temporary crate; returns its src/ path."""
    root = tempfile.mkdtemp(prefix="import_graph_")
    for path, text in files.items():
        full = os.path.join(root, "src", path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))
    return os.path.join(root, "src")


def edges(files: dict[str, str]) -> set[tuple[str, str]]:
    nodes, found, problems = import_graph.build_graph(crate(files))
    assert not problems, problems
    return set(found)


class Edges(unittest.TestCase):
    def test_reexport_and_import_from_parent_is_a_cycle(self):
        e = edges({
            "lib.rs": "pub mod a;\n",
            "a/mod.rs": "mod b;\npub use b::B;\npub struct Shared;\n",
            "a/b.rs": "use super::Shared;\npub struct B(Shared);\n",
        })
        self.assertIn(("src/a/mod.rs", "src/a/b.rs"), e)
        self.assertIn(("src/a/b.rs", "src/a/mod.rs"), e)

    def test_a_name_only_reexported_by_the_parent_resolves_to_its_home(self):
        e = edges({
            "lib.rs": "pub mod a;\n",
            "a/mod.rs": "mod b;\nmod model;\npub use b::B;\npub use model::Spec;\n",
            "a/model.rs": "pub struct Spec;\n",
            "a/b.rs": "use super::Spec;\npub struct B(Spec);\n",
        })
        self.assertIn(("src/a/b.rs", "src/a/model.rs"), e)
        self.assertNotIn(("src/a/b.rs", "src/a/mod.rs"), e)

    def test_mod_declaration_alone_is_no_edge_but_a_child_call_is(self):
        e = edges({
            "lib.rs": "mod a;\nmod b;\npub fn f() { b::g(); }\n",
            "a.rs": "pub fn h() {}\n",
            "b.rs": "pub fn g() {}\n",
        })
        self.assertIn(("src/lib.rs", "src/b.rs"), e)
        self.assertNotIn(("src/lib.rs", "src/a.rs"), e)

    def test_inline_test_module_super_is_its_own_file(self):
        e = edges({
            "lib.rs": "mod a;\npub struct Top;\n",
            "a.rs": "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
        })
        self.assertEqual(e, set())

    def test_comments_strings_and_visibility_paths_are_not_uses(self):
        e = edges({
            "lib.rs": "pub mod a;\npub mod b;\n",
            "a/mod.rs": "pub mod c;\n",
            "a/c.rs": textwrap.dedent("""\
                /// See [`crate::b::B`].
                pub(in crate::a) fn f() -> &'static str {
                    // crate::b::B
                    "crate::b::B"
                }
                """),
            "b.rs": "pub struct B;\n",
        })
        self.assertEqual(e, set())

    def test_use_groups_self_and_crate_paths_in_code(self):
        e = edges({
            "lib.rs": "pub mod a;\npub mod b;\npub mod c;\n",
            "a.rs": "use crate::{b::{self, B}, c as see};\npub fn f() -> u8 { crate::c::C; 1 }\n",
            "b.rs": "pub struct B;\n",
            "c.rs": "pub const C: u8 = 1;\n",
        })
        self.assertIn(("src/a.rs", "src/b.rs"), e)
        self.assertIn(("src/a.rs", "src/c.rs"), e)

    def test_cycles_are_found_and_a_dag_passes(self):
        cyclic = crate({
            "lib.rs": "mod a;\nmod b;\n",
            "a.rs": "use crate::b::B;\npub struct A;\n",
            "b.rs": "use crate::a::A;\npub struct B;\n",
        })
        dag = crate({
            "lib.rs": "mod a;\nmod b;\n",
            "a.rs": "use crate::b::B;\npub struct A;\n",
            "b.rs": "pub struct B;\n",
        })
        with open(os.devnull, "w") as null:
            stdout, sys.stdout = sys.stdout, null
            try:
                self.assertEqual(import_graph.main(["--src", cyclic]), 1)
                self.assertEqual(import_graph.main(["--src", dag]), 0)
            finally:
                sys.stdout = stdout


if __name__ == "__main__":
    unittest.main()
