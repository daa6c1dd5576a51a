"""FO107 finds its calls by walking statement blocks, without the code-generation pass.

The walk must agree with the definition it replaces: every ``Call`` of the module (from the
``SourceMap``), kept when walking up its parents reaches a statement line of the module or
of an indented block without passing a lambda or a compound statement's header.  The
hand-written case pins what both find, including calls inside every kind of expression (the
walk skips the fields that hold only tokens and whitespace).
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from fixorder.analysis.source_map import SourceMap
from fixorder.rules.fo107_preprocess_input_in_place import calls_in_simple_statements

ROOT = Path(__file__).resolve().parent.parent

EVERY_BLOCK = '''\
import asyncio
f(a(1), [b(i) for i in c()])
g = lambda x: h(x)
k = sorted(xs, key=lambda x: key(x))
if p(1):
    q(2)
elif r(3):
    s(4)
else:
    t(5)
if u(6): v(7)
for i in w(8):
    x1(9)
else:
    x2(10)
while x3(11):
    x4(12)
else:
    x5(13)
try:
    y1(14)
except E(15) as e:
    y2(16)
else:
    y3(17)
finally:
    y4(18)
try:
    z1(19)
except* E as e:
    z2(20)
with m(21) as n:
    m2(22)
@deco(23)
def fn(a=d(24)):
    inner(25)
    def nested():
        deeper(26)
    return last(27)
class C(Base(28)):
    attr = make(29)
    def method(self):
        self.call(30)
async def co():
    async with am(31):
        await aw(32)
    async for i in ai(33):
        ab(34)
match cmd(35):
    case [x]:
        mc(36)
    case _:
        md(37)
x = 1; y = two(38); z = three(39)
e = a1(40) + b1(41) if not c1(42) else d1[e1(43)]
f"{g1(44)!r:>{h1(45)}}"
print(*s1(46), **s2(47), key=kw(48))
y: T = ann(49)
z += aug(50)
del q[r1(51)]
assert chk(52), msg(53)
w = {k1(54): v1(55), **m1(56)}, [*l1(57)], (t1(58),), {st(59)}
w = (yield ge(60)) or await aw2(61) or [o for o in it1(62) if cond(63)]
w = x1 < cmp(64) <= cmp2(65) and obj.attr(66).meth(67)[sub(68):up(69)]
'''


def oracle(module: cst.Module) -> list[tuple[int, int, int]]:
    """The definition the walk replaces: parent chains from the ``SourceMap``."""
    positions = SourceMap(module)
    out = []
    for call in positions.nodes_of(cst.Call):
        node = positions.parent(call)
        while node is not None and not isinstance(node, cst.SimpleStatementLine):
            if isinstance(node, (cst.Lambda, cst.BaseCompoundStatement)):
                break
            node = positions.parent(node)
        else:
            block = positions.parent(node) if node is not None else None
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                index = next(i for i, s in enumerate(block.body) if s is node)
                out.append((id(call), id(block.body[index]), index))
    return sorted(out)


def walked(module: cst.Module) -> list[tuple[int, int, int]]:
    return sorted((id(call), id(body[index]), index) for body, index, call in calls_in_simple_statements(module))


def test_every_kind_of_block_is_walked_and_headers_and_lambdas_are_not():
    module = cst.parse_module(EVERY_BLOCK)
    found = {cst.Module([]).code_for_node(call.func) for _, _, call in calls_in_simple_statements(module)}
    assert found == {"f", "a", "b", "c", "q", "s", "t", "x1", "x2", "x4", "x5", "y1", "y2", "y3", "y4", "z1", "z2",
                     "m2", "inner", "deeper", "last", "make", "self.call", "aw", "ab", "mc", "md", "sorted",
                     "two", "three", "a1", "b1", "c1", "e1", "g1", "h1", "print", "s1", "s2", "kw", "ann",
                     "aug", "r1", "chk", "msg", "k1", "v1", "m1", "l1", "t1", "st", "ge", "aw2", "it1",
                     "cond", "cmp", "cmp2", "obj.attr", "obj.attr(66).meth", "sub", "up"}
    assert walked(module) == oracle(module)


@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "testdata").rglob("*.py")))
def test_the_walk_finds_what_the_parent_chain_finds(path):
    module = cst.parse_module((ROOT / path).read_text(encoding="utf-8"))
    assert walked(module) == oracle(module)
