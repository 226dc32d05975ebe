#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Every fib result x flag combination, compared with `ip route get`.

Runs in the guest after fib_topo (lib.sh) built the router r. For each
test packet it empties one dynamic set per combination, sends the packet,
reads back what `fib ...` stored in each set in r, and compares it with
what `ip route get` (and `ip addr`) in r say about the looked-up address.

    fibmatrix.py FAMILY HOOKS     FAMILY: ip, ip6 or inet
                                  HOOKS: prerouting or input+forward
"""
import functools
import json
import subprocess
import sys

FAM, HOOKS = sys.argv[1], sys.argv[2].split('+')
fails = 0


def sh(*cmd, check=True):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if check and p.returncode:
        raise SystemExit('FAIL: %s: %s' % (' '.join(cmd), p.stderr.strip()))
    return p


def nft(ns, text):
    p = subprocess.run(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'],
                       input=text, capture_output=True, text=True)
    if p.returncode:
        raise SystemExit('FAIL: nft: %s\n%s' % (p.stderr, text))


COMBOS = []
for addr in ('saddr', 'daddr'):
    for mark in ('', 'mark'):
        for dev in ('', 'iif'):
            for res in ('oif', 'oifname', 'type'):
                COMBOS.append((addr, mark, dev, res))


def fibexpr(c):
    addr, mark, dev, res = c
    keys = [addr] + ([mark] if mark else []) + ([dev] if dev else [])
    return 'fib %s %s' % (' . '.join(keys), res)


def setname(c):
    return 's_' + '_'.join(x for x in c if x)


def ruleset(filt):
    lines = ['table %s fibm {' % FAM]
    for c in COMBOS:
        lines.append('set %s { typeof %s; flags dynamic; size 16; }'
                     % (setname(c), fibexpr(c)))
    lines.append('chain mangle { type filter hook prerouting priority -300;'
                 ' meta mark set 7; }')
    for h in HOOKS:
        lines.append('chain c_%s { type filter hook %s priority 0;' % (h, h))
        for c in COMBOS:
            lines.append('%s update @%s { %s }' % (filt, setname(c),
                                                  fibexpr(c)))
        lines.append('}')
    lines.append('}')
    return '\n'.join(lines) + '\n'


@functools.lru_cache(maxsize=None)
def route_get(v, addr, mark):
    cmd = ['ip', '-n', 'r', '-%d' % v, 'route', 'get', addr]
    if mark:
        cmd += ['mark', '7']
    p = sh(*cmd, check=False)
    if p.returncode:
        err = p.stderr
        if 'Invalid argument' in err:
            return 'blackhole', None
        if 'Permission denied' in err:
            return 'prohibit', None
        return 'unreachable', None
    w = p.stdout.split()
    typ = w[0] if w[0] in ('local', 'broadcast', 'multicast', 'anycast',
                           'blackhole', 'unreachable', 'prohibit',
                           'throw') else 'unicast'
    dev = w[w.index('dev') + 1] if 'dev' in w else None
    return typ, dev


@functools.lru_cache(maxsize=None)
def addr_dev(v, addr):
    """The device of r that holds addr, if any."""
    p = sh('ip', '-n', 'r', '-o', '-%d' % v, 'addr', 'show', 'to', addr)
    w = p.stdout.split()
    return w[1] if w else None


def expected(c, v, src, dst, indev):
    addr, mark, dev, res = c
    a = src if addr == 'saddr' else dst
    typ, rdev = route_get(v, a, mark)
    if res != 'type':
        if typ in ('local', 'blackhole', 'unreachable', 'prohibit',
                   'anycast', 'throw'):
            out = None
        elif dev:
            out = indev if rdev == indev else None
        else:
            out = rdev
        return out or 'NONE'
    if v == 4:
        if a in ('0.0.0.0', '255.255.255.255'):
            return 'broadcast'
        if int(a.split('.')[0]) >= 224:
            return 'multicast'
        if typ == 'local':
            owner = addr_dev(4, a)
            return 'local' if not dev or owner == indev else 'unicast'
        if typ == 'broadcast':
            return 'broadcast' if not dev or rdev == indev else 'unicast'
        return 'unicast'
    if typ in ('blackhole', 'unreachable', 'prohibit'):
        return typ
    if dev and addr_dev(6, a) == indev:
        return 'local'
    if typ == 'anycast':
        return 'anycast'
    if typ == 'local' and not dev:
        return 'local'
    if a.lower().startswith('ff'):
        return 'multicast'
    return 'unicast'


def got(tables):
    """combination -> the one value its set holds (or a note)."""
    sets = {}
    for o in tables['nftables']:
        s = o.get('set')
        if s:
            sets[s['name']] = s.get('elem', [])
    out = {}
    for c in COMBOS:
        el = sets.get(setname(c), [])
        if len(el) != 1:
            out[c] = 'elements:%r' % (el,)
            continue
        e = el[0]
        if e in ('', 0, '0'):
            e = 'NONE'
        out[c] = str(e)
    return out


def run(v, pkts, filt):
    global fails
    nft('r', 'table %s fibm {}\ndelete table %s fibm\n' % (FAM, FAM))
    nft('r', ruleset(filt))
    for name, ns, opts, src, dst, indev, hooks in pkts:
        if not set(hooks) & set(HOOKS):
            continue
        nft('r', ''.join('flush set %s fibm %s\n' % (FAM, setname(c))
                         for c in COMBOS))
        sh('ip', 'netns', 'exec', ns, 'ping', '-%d' % v, '-q', '-c1',
           '-W0.3', *opts, dst, check=False)
        g = got(json.loads(sh('ip', 'netns', 'exec', 'r', 'nft', '-j',
                              'list', 'table', FAM, 'fibm').stdout))
        bad = 0
        for c in COMBOS:
            want = expected(c, v, src, dst, indev)
            if g[c] != want:
                bad += 1
                print('FAIL: %s %s [%s] %s: got %s, want %s (ip route get)'
                      % (FAM, '/'.join(HOOKS), name, fibexpr(c), g[c], want))
        if bad:
            fails += bad
        else:
            print('ok: %s %s [%s] %s -> %s: %d combinations agree with ip '
                  'route get' % (FAM, '/'.join(HOOKS), name, src, dst,
                                 len(COMBOS)))


PRE, IN, FWD = ['prerouting'], ['prerouting', 'input'], \
    ['prerouting', 'forward']
V4 = [
    ('legit-local', 'h1', [], '10.1.0.2', '10.1.0.1', 'r1', IN),
    ('legit-forward', 'h1', [], '10.1.0.2', '10.2.0.2', 'r1', FWD),
    ('spoofed', 'h1', ['-I', '10.99.0.5'], '10.99.0.5', '10.1.0.1', 'r1',
     IN),
    ('spoofed-forward', 'h1', ['-I', '10.99.0.5'], '10.99.0.5', '10.2.0.2',
     'r1', FWD),
    ('other-local', 'h1', [], '10.1.0.2', '10.2.0.1', 'r1', IN),
    ('blackholed', 'h1', [], '10.1.0.2', '10.66.0.1', 'r1', PRE),
    ('unrouted', 'h1', [], '10.1.0.2', '10.77.0.1', 'r1', PRE),
    ('from-behind-h2', 'h2', ['-I', '10.99.0.5'], '10.99.0.5', '10.1.0.2',
     'r2', FWD),
    ('subnet-broadcast', 'h1', ['-b'], '10.1.0.2', '10.1.0.255', 'r1', IN),
]
V6 = [
    ('legit-local', 'h1', [], 'fd01::2', 'fd01::1', 'r1', IN),
    ('legit-forward', 'h1', [], 'fd01::2', 'fd02::2', 'r1', FWD),
    ('spoofed', 'h1', ['-I', 'fd99::5'], 'fd99::5', 'fd01::1', 'r1', IN),
    ('spoofed-forward', 'h1', ['-I', 'fd99::5'], 'fd99::5', 'fd02::2',
     'r1', FWD),
    ('other-local', 'h1', [], 'fd01::2', 'fd02::1', 'r1', IN),
    ('blackholed', 'h1', [], 'fd01::2', 'fd66::1', 'r1', PRE),
    ('unrouted', 'h1', [], 'fd01::2', 'fd77::1', 'r1', PRE),
    ('from-behind-h2', 'h2', ['-I', 'fd99::5'], 'fd99::5', 'fd01::2', 'r2',
     FWD),
]

if FAM in ('ip', 'inet'):
    run(4, V4, 'icmp type echo-request')
if FAM in ('ip6', 'inet'):
    run(6, V6, 'icmpv6 type echo-request')
nft('r', 'delete table %s fibm\n' % FAM)
sys.exit(1 if fails else 0)
