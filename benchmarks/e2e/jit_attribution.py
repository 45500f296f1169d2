#!/usr/bin/env python3
"""Self instructions per compiled Java method, from callgrind's per-instruction counts of one thread.

usage: jit_attribution.py CALLGRIND_OUT_THREAD CODELIST [N]            one run's top N
       jit_attribution.py --diff A_OUT A_CODELIST B_OUT B_CODELIST PACKETS [N]
                                                                     (A - B) / PACKETS: e.g. a 3-round run less a
                                                                     1-round run over 2 rounds of packets

CALLGRIND_OUT_THREAD: callgrind output of one thread written with --dump-instr=yes (positions: instr line);
CODELIST: AuditCodeList's dump of the code cache of the same run. Instructions outside every listed method are
counted as "native:<function>" (the JVM itself, libc) or "native:anon" (the interpreter, stubs and adapters).
"""
import bisect
import collections
import re
import sys


def attribute(cg, codelist):
    ranges = []
    for line in open(codelist):
        m = re.match(r'\s*\d+\s+\d+\s+\d+\s+(\S+)\s+\[0x[0-9a-f]+, (0x[0-9a-f]+) - (0x[0-9a-f]+)\]', line)
        if m:
            ranges.append((int(m.group(2), 16), int(m.group(3), 16), m.group(1)))
    ranges.sort()
    starts = [r[0] for r in ranges]
    names = {}
    with open(cg) as f:
        for line in f:
            m = re.match(r'c?fn=\((\d+)\) (.*)', line.strip())
            if m:
                names[m.group(1)] = m.group(2)
    cost = collections.Counter()
    fn, last, call_cost_line = '?', 0, False
    with open(cg) as f:
        for line in f:
            if line.startswith('fn='):
                m = re.match(r'fn=\((\d+)\)', line)
                fn = names.get(m.group(1), '?') if m else line[3:].strip()
                continue
            if line.startswith('calls='):
                call_cost_line = True  # the next line is the call's inclusive cost: not this function's own
                continue
            if not line or line[0] not in '0123456789+-*':
                continue
            parts = line.split()
            p = parts[0]
            if p.startswith('0x'):
                addr = int(p, 16)
            elif p[0] == '+':
                addr = last + int(p[1:], 0)
            elif p[0] == '-':
                addr = last - int(p[1:], 0)
            else:
                addr = last
            last = addr
            if call_cost_line:
                call_cost_line = False
                continue
            n = int(parts[2]) if len(parts) > 2 else 0
            i = bisect.bisect_right(starts, addr) - 1
            if i >= 0 and ranges[i][0] <= addr < ranges[i][1]:
                cost[ranges[i][2]] += n
            else:
                cost['native:anon' if fn.startswith('0x') else 'native:' + fn] += n
    return cost


def main(argv):
    if argv[1] == '--diff':
        a, b = attribute(argv[2], argv[3]), attribute(argv[4], argv[5])
        per = float(argv[6])
        top = int(argv[7]) if len(argv) > 7 else 40
        d = {k: (a[k] - b[k]) / per for k in set(a) | set(b)}
        print(f'total {sum(d.values()):.1f}')
        for k, v in sorted(d.items(), key=lambda x: -x[1])[:top]:
            print(f'{v:9.1f} {k}')
    else:
        c = attribute(argv[1], argv[2])
        total = sum(c.values())
        print(f'total {total:,}')
        for k, v in c.most_common(int(argv[3]) if len(argv) > 3 else 40):
            print(f'{v:>14,} {100 * v / total:5.1f}% {k}')


if __name__ == '__main__':
    main(sys.argv)
