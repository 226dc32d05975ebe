#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Name the profile of `NFQ_INSNS_PROF=1 make bench-insns`: instructions per
packet by kernel function, per module and phase (medians over the rounds),
and nfext's and noids' differences from the in-tree module by function.

    insns-prof.py DIR    (DIR: build/bench-insns)
"""
import bisect
import glob
import os
import re
import statistics
import sys


def symbols(path):
    out = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 3 or p[1] not in 'tTwW':
                continue
            name = p[2] + (' ' + p[3] if len(p) > 3 else '')
            out.append((int(p[0], 16), name))
    return out


def main():
    d = sys.argv[1]
    core = symbols(os.path.join(d, 'kallsyms.core'))
    per = {}  # (impl, phase) -> {func: [per-round insns/packet]}
    label = re.compile(r'prof\.(\d+)\.(\w+)\.(enqueue|verdict)\.end\.(\d+)$')
    for path in glob.glob(os.path.join(d, 'prof.*')):
        m = label.search(path)
        if not m or m.group(1) == '0' or int(m.group(4)) == 0:
            continue
        rnd, impl, phase, n = m.group(1), m.group(2), m.group(3), int(m.group(4))
        mods = os.path.join(d, 'kallsyms.%s.%s' % (rnd, impl))
        syms = sorted(core + (symbols(mods) if os.path.exists(mods) else []))
        addrs = [a for a, _ in syms]
        funcs = {}
        with open(path) as f:
            for line in f:
                pc, c = line.split()
                i = bisect.bisect_right(addrs, int(pc, 16)) - 1
                name = syms[i][1] if i >= 0 else '?'
                funcs[name] = funcs.get(name, 0) + int(c)
        table = per.setdefault((impl, phase), {})
        for name, c in funcs.items():
            table.setdefault(name, []).append(c / n)
    if not per:
        print('insns-prof: no profile found in %s' % d, file=sys.stderr)
        return 1

    def med(t, name):
        v = t.get(name, [])
        # a function absent from a round's profile ran 0 times there
        rounds = max(len(x) for x in t.values())
        return statistics.median(v + [0.0] * (rounds - len(v)))

    print('### Kernel instructions per packet by function (NFQ_INSNS_PROF=1 make bench-insns)')
    print()
    print('Medians over the rounds; functions of the module that differ are named with it.')
    for phase in ('enqueue', 'verdict'):
        base = per.get(('intree', phase), {})
        for impl in sorted(set(i for i, _ in per) - {'intree'}):
            t = per.get((impl, phase))
            if not t:
                continue
            names = set(t) | set(base)
            diff = sorted(((med(t, x) - med(base, x), x) for x in names),
                          key=lambda e: -abs(e[0]))
            print()
            print('#### %s, %s - in-tree (the 25 largest differences)' % (phase, impl))
            print()
            print('| function | %s | in-tree | difference |' % impl)
            print('|---|---:|---:|---:|')
            for dv, x in diff[:25]:
                print('| %s | %.1f | %.1f | %+.1f |' % (x, med(t, x), med(base, x), dv))
    return 0


sys.exit(main())
