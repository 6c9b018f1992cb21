#!/usr/bin/env python3
"""Module cycles of the plugin and the core, from what each object file uses.

A module is one compiled C file. Module A depends on module B when A's object
file leaves a symbol undefined that B's defines (a function called, a table or
field id read): the dependencies the linker resolves, whatever the #includes
say. Prints every strongly connected set of more than one module and exits 1
when there is one.

    scripts/module_cycles.py build            # the CMake build folder
"""
import pathlib
import subprocess
import sys


def symbols(obj, flag):
    out = subprocess.run(["nm", flag, str(obj)], capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if flag == "-u" and parts:
            names.add(parts[-1])
        elif len(parts) == 3 and parts[1] in "TDRBVWG":
            names.add(parts[2])
    return names


def module_name(obj, root):
    rel = obj.relative_to(root).as_posix()
    # CMakeFiles/<target>.dir/<source path>.o
    return rel.split(".dir/", 1)[-1].removesuffix(".o").removesuffix(".c")


def graph(build):
    objs = [o for o in build.glob("CMakeFiles/*.dir/**/*.o")
            if "/plugin/" in o.as_posix() or "/core/" in o.as_posix()]
    defined, wanted = {}, {}
    for o in objs:
        m = module_name(o, build)
        defined[m] = symbols(o, "--defined-only")
        wanted[m] = symbols(o, "-u")
    owner = {s: m for m, ss in defined.items() for s in ss}
    return {m: sorted({owner[s] for s in ss if s in owner and owner[s] != m})
            for m, ss in wanted.items()}


def cycles(edges):
    """Tarjan's strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build")
    edges = graph(build)
    if not edges:
        print(f"module_cycles: no object files under {build}", file=sys.stderr)
        return 2
    found = cycles(edges)
    for comp in found:
        print("cycle:", " <-> ".join(comp))
        for m in comp:
            print(f"  {m} uses {', '.join(d for d in edges[m] if d in comp)}")
    print(f"module_cycles: {len(edges)} modules, {len(found)} cycle(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
